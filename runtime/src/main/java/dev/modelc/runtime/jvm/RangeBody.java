package dev.modelc.runtime.jvm;

/**
 * The outlined bodies of a compiled program's parallel loops, as {@link Parallel} runs them:
 * {@code loop} says which loop, {@code [lo, hi)} is a chunk of its range (starting on one of its
 * iterations), and {@code captures} holds the values of the enclosing locals the body reads,
 * each as long bits (floats by their raw bits).
 */
public interface RangeBody {
    void run(int loop, int lo, int hi, long[] captures);
}
