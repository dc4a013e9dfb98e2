package dev.modelc.check;

import java.util.List;

/**
 * A checked expression's type and, when known at compile time, its value: integers as
 * {@link DimExpr} (so {@code B * 2} is a symbolic integer), {@link Double}, {@link Boolean},
 * {@link String}, {@link DType}, {@link InitSpec} or a {@link List} of these for tuples and lists.
 */
public record Typed(Type type, Object value) {
    public static final Typed UNKNOWN = new Typed(Type.UNKNOWN, null);

    public static Typed of(Type type) { return new Typed(type, null); }

    public boolean isUnknown() { return type instanceof Type.Unknown; }

    public boolean isKnown() { return value != null; }

    public Type.Tensor tensor() { return (Type.Tensor) type; }
}
