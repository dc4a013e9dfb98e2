package dev.modelc.loops;

import dev.modelc.check.DType;

/**
 * The type of a Loop IR value: an index (loop counters, offsets, dimension sizes; a backend picks
 * its width, e.g. int on the JVM after checking that every buffer fits), a scalar element, or a
 * vector of {@code lanes} elements (a SIMD register).
 */
public sealed interface LType {
    record Index() implements LType {
        @Override public String toString() { return "idx"; }
    }

    record Scalar(DType dtype) implements LType {
        @Override public String toString() { return dtype.toString(); }
    }

    record Vector(DType dtype, int lanes) implements LType {
        public Vector {
            if (lanes < 2) throw new IllegalArgumentException("a vector has at least 2 lanes");
        }

        @Override public String toString() { return "<" + lanes + " x " + dtype + ">"; }
    }

    LType INDEX = new Index();

    static LType scalar(DType t) { return new Scalar(t); }

    /** The element type of a scalar or vector; null for an index. */
    default DType dtype() {
        return switch (this) {
            case Index i -> null;
            case Scalar s -> s.dtype();
            case Vector v -> v.dtype();
        };
    }

    default int lanes() { return this instanceof Vector v ? v.lanes() : 1; }

    /** This type with {@code lanes} lanes (1 gives the scalar). */
    default LType withLanes(int lanes) {
        if (this instanceof Index) throw new IllegalStateException("indices are not vectorised");
        return lanes == 1 ? new Scalar(dtype()) : new Vector(dtype(), lanes);
    }
}
