package dev.modelc.runtime.jvm;

/**
 * What a program compiled from Loop IR implements: a generated JVM class, or native code behind
 * a Java wrapper. Not thread-safe: one run at a time.
 */
public interface CompiledProgram extends RangeBody {
    /**
     * Binds the storage for the next runs: {@code buffers[id]} is buffer {@code id}'s array
     * ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]} or {@code boolean[]} by
     * its dtype; buffers of one slot share one array), {@code dims[i]} the value of dimension
     * variable {@code i}.
     */
    void bind(Object[] buffers, int[] dims);

    /** Runs every kernel in order on the bound storage. */
    void run();

    /**
     * Whether this program runs on off-heap memory (native code): then {@link #bind} gets a
     * {@link java.lang.foreign.MemorySegment} per buffer instead of a Java array.
     */
    default boolean offHeap() { return false; }
}
