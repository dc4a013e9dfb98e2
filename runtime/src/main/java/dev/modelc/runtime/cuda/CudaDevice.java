package dev.modelc.runtime.cuda;

/**
 * What the runtime needs to know about one GPU: its driver ordinal, name, compute capability,
 * multiprocessor count, how many threads a multiprocessor keeps resident, and its memory.
 */
public record CudaDevice(int ordinal, String name, int computeMajor, int computeMinor, int multiprocessors,
                         int maxThreadsPerMultiprocessor, long totalMemory) {
    /** The compute capability as {@code sm_90}. */
    public String architecture() { return "sm_" + computeMajor + computeMinor; }

    /** One line, e.g. {@code 0: NVIDIA H100 80GB HBM3 (sm_90, 132 multiprocessors, 79.1 GiB)}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d: %s (%s, %d multiprocessors, %.1f GiB)", ordinal, name, architecture(),
                multiprocessors, totalMemory / (1024.0 * 1024 * 1024));
    }
}
