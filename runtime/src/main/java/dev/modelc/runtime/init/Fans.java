package dev.modelc.runtime.init;

import dev.modelc.runtime.Tensor;

/**
 * Fan-in and fan-out of a parameter, from its shape, as Keras computes them (docs/language.md
 * section 13): a scalar has 1 and 1, a vector {@code [N]} has N and N, a dense weight
 * {@code [I, O]} has I and O, and a kernel {@code [K1, …, Kn, I, O]} multiplies both by the
 * receptive field {@code K1·…·Kn} (so HWIO {@code [3, 3, 1, 32]} has 9 and 288).
 */
public record Fans(long in, long out) {
    public static Fans of(long... shape) {
        Tensor.elementCountOf(shape); // rejects negative dimensions
        int rank = shape.length;
        if (rank == 0) {
            return new Fans(1, 1);
        }
        if (rank == 1) {
            return new Fans(shape[0], shape[0]);
        }
        try {
            long receptive = 1;
            for (int i = 0; i < rank - 2; i++) {
                receptive = Math.multiplyExact(receptive, shape[i]);
            }
            return new Fans(Math.multiplyExact(receptive, shape[rank - 2]), Math.multiplyExact(receptive, shape[rank - 1]));
        } catch (ArithmeticException e) {
            // Only possible when a zero dimension keeps the element count itself in range.
            throw new IllegalArgumentException("the fans of shape " + Tensor.formatShape(shape) + " overflow a long");
        }
    }

    /**
     * The {@code n} of variance scaling for a mode ({@code fan_in}, {@code fan_out} or
     * {@code fan_avg}), at least 1 as in Keras: a shape with a zero dimension has no elements to
     * draw, and this keeps its standard deviation finite all the same.
     */
    public double n(String mode) {
        double n = switch (mode) {
            case "fan_in" -> in;
            case "fan_out" -> out;
            case "fan_avg" -> (in + (double) out) / 2;
            default -> throw new IllegalArgumentException("unknown fan mode \"" + mode
                    + "\" (known: \"fan_in\", \"fan_out\", \"fan_avg\")");
        };
        return Math.max(1.0, n);
    }
}
