package dev.modelc.runtime.jvm;

/**
 * What a class generated from a Loop IR program implements. Not thread-safe: one run at a time.
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
}
