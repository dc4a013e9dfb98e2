package dev.modelc.check;

import java.util.List;
import java.util.stream.Collectors;

/** The type of a checked expression. */
public sealed interface Type {

    /**
     * A tensor: element type and symbolic shape ({@code []} for a scalar). A weak tensor is an
     * untyped literal (or arithmetic on literals) whose element type adapts to what it meets.
     */
    record Tensor(DType dtype, List<DimExpr> shape, boolean weak) implements Type {
        public Tensor {
            shape = List.copyOf(shape);
        }

        public static Tensor of(DType dtype, List<DimExpr> shape) { return new Tensor(dtype, shape, false); }

        public static Tensor scalar(DType dtype) { return new Tensor(dtype, List.of(), false); }

        public int rank() { return shape.size(); }

        public boolean isScalar() { return shape.isEmpty(); }

        public Tensor withShape(List<DimExpr> s) { return new Tensor(dtype, s, weak); }

        public Tensor withDtype(DType d) { return new Tensor(d, shape, false); }

        public Tensor strong() { return weak ? new Tensor(dtype, shape, false) : this; }

        @Override
        public String toString() {
            return dtype + "[" + shape.stream().map(DimExpr::toString).collect(Collectors.joining(", ")) + "]";
        }
    }

    record Tuple(List<Type> elements) implements Type {
        public Tuple {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return "(" + elements.stream().map(Type::toString).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** A compile-time string, e.g. {@code padding="same"}. */
    record Str() implements Type {
        @Override public String toString() { return "str"; }
    }

    /** An element type used as a value, as in {@code cast(x, f64)}. */
    record DTypeValue() implements Type {
        @Override public String toString() { return "dtype"; }
    }

    /** A parameter initialiser such as {@code he_normal()}. */
    record Init() implements Type {
        @Override public String toString() { return "init"; }
    }

    /** Stands in for a type that could not be worked out because of an error already reported. */
    record Unknown() implements Type {
        @Override public String toString() { return "?"; }
    }

    Type UNKNOWN = new Unknown();
    Type STR = new Str();
    Type INIT = new Init();
    Type DTYPE = new DTypeValue();
}
