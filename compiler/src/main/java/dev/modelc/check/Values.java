package dev.modelc.check;

import java.util.List;
import java.util.stream.Collectors;

/** Reading and printing compile-time values (see {@link Typed}). */
public final class Values {
    private Values() {}

    public static String show(Object v) {
        return switch (v) {
            case null -> "?";
            case String s -> '"' + s + '"';
            case Double d -> String.valueOf(d).replace("E", "e");
            case List<?> l -> "(" + l.stream().map(Values::show).collect(Collectors.joining(", ")) + ")";
            default -> v.toString();
        };
    }

    public static Long asLong(Object v) {
        if (v instanceof DimExpr d && d.isConstant()) return d.constantValue().getAsLong();
        return null;
    }

    public static Double asDouble(Object v) {
        if (v instanceof Double d) return d;
        Long l = asLong(v);
        return l == null ? null : l.doubleValue();
    }
}
