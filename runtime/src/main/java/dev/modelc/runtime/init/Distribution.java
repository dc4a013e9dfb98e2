package dev.modelc.runtime.init;

import dev.modelc.runtime.CounterRandom;

/**
 * What a random initialiser draws from. Element {@code i} is a pure function of the key and
 * {@code i}: each draw takes its uniform doubles at index {@code i} of fixed streams, so a
 * tensor's values depend neither on its size nor on what else was drawn.
 */
sealed interface Distribution {
    /** Streams of the two uniforms behind a draw; named so that no other user of a seed hits them. */
    long STREAM_A = CounterRandom.hash("modelc.init.a");
    long STREAM_B = CounterRandom.hash("modelc.init.b");

    double sample(long key, long index);

    /** The draw rounded to float32. */
    default float sampleFloat(long key, long index) {
        return (float) sample(key, index);
    }

    /** The distribution of a random kind, with the fans of {@code shape} where the kind scales. */
    static Distribution of(InitSpec spec, long[] shape) {
        return switch (spec.kind()) {
            case "normal" -> new Normal(spec.number("mean"), spec.number("std"));
            case "uniform" -> new Uniform(spec.number("lo"), spec.number("hi"));
            case "he_normal" -> varianceScaling(2.0, "fan_in", "normal", shape);
            case "he_uniform" -> varianceScaling(2.0, "fan_in", "uniform", shape);
            case "glorot_normal" -> varianceScaling(1.0, "fan_avg", "normal", shape);
            case "glorot_uniform" -> varianceScaling(1.0, "fan_avg", "uniform", shape);
            case "variance_scaling" ->
                    varianceScaling(spec.number("scale"), spec.text("mode"), spec.text("distribution"), shape);
            default -> throw new IllegalArgumentException(spec + " is not a random initialiser");
        };
    }

    /**
     * Variance {@code scale / n}: a normal with {@code std = sqrt(scale / n)}, not truncated, or a
     * uniform on {@code [-limit, limit]} with {@code limit = sqrt(3 * scale / n)}.
     */
    private static Distribution varianceScaling(double scale, String mode, String distribution, long[] shape) {
        double n = Fans.of(shape).n(mode);
        return distribution.equals("normal")
                ? new Normal(0.0, Math.sqrt(scale / n))
                : new Uniform(-Math.sqrt(3 * scale / n), Math.sqrt(3 * scale / n));
    }

    /**
     * {@code mean + std * z}, with z standard normal by the Box–Muller transform, which is exact:
     * {@code z = sqrt(-2 ln u1) * cos(2 pi u2)}. Only the cosine half is used, so each element
     * owns its pair of uniforms. {@code u1 = 1 - u} lies in {@code (0, 1]} (u has 53 bits, so
     * the subtraction is exact), hence the logarithm is always finite and |z| stays below 8.6.
     */
    record Normal(double mean, double std) implements Distribution {
        @Override
        public double sample(long key, long index) {
            double u1 = 1.0 - CounterRandom.uniformDouble(key, STREAM_A, index);
            double u2 = CounterRandom.uniformDouble(key, STREAM_B, index);
            return mean + std * (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
        }
    }

    /**
     * {@code lo + (hi - lo) * u}, kept in {@code [lo, hi)} also after rounding (to double, and to
     * float32 where {@code hi} becomes the float nearest it): a draw that rounds up to the upper
     * bound becomes the number just below it. That is within the closed interval variance
     * scaling promises, too.
     */
    record Uniform(double lo, double hi) implements Distribution {
        @Override
        public double sample(long key, long index) {
            double v = lo + (hi - lo) * CounterRandom.uniformDouble(key, STREAM_A, index);
            return v < hi ? v : Math.nextDown(hi);
        }

        @Override
        public float sampleFloat(long key, long index) {
            float v = (float) sample(key, index);
            float top = (float) hi;
            return v < top ? v : Math.max(Math.nextDown(top), (float) lo);
        }
    }
}
