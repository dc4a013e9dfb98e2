package dev.modelc.runtime;

import java.nio.charset.StandardCharsets;

/**
 * A counter-based random generator: the number at {@code (key, stream, index)} is a pure hash,
 * so every backend, thread split and resumed run draws exactly the same values. The hash is
 * SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) applied twice.
 */
public final class CounterRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private CounterRandom() {}

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A stable 64-bit hash of a name, for deriving keys and streams from names (a parameter's,
     * or a purpose such as shuffling): FNV-1a over the UTF-8 bytes, then {@link #mix} so that
     * names differing in one character give unrelated values. Not {@link String#hashCode}: 32
     * bits collide too easily across many names.
     */
    public static long hash(String name) {
        long h = 0xCBF29CE484222325L; // FNV-1a 64-bit offset basis
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L; // FNV-1a 64-bit prime
        }
        return mix(h);
    }

    /** 64 random bits for element {@code index} of stream {@code stream} under {@code key}. */
    public static long bits(long key, long stream, long index) {
        long base = mix(key * GOLDEN + mix(stream + GOLDEN));
        return mix(base + (index + 1) * GOLDEN);
    }

    /** A double uniform in [0, 1) with 53 random bits. */
    public static double uniformDouble(long key, long stream, long index) {
        return (bits(key, stream, index) >>> 11) * 0x1.0p-53;
    }

    /** A float uniform in [0, 1) with 24 random bits. */
    public static float uniformFloat(long key, long stream, long index) {
        return (bits(key, stream, index) >>> 40) * 0x1.0p-24f;
    }
}
