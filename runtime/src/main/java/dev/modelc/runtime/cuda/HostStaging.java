package dev.modelc.runtime.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One host buffer, grown as needed and reused, that device-to-host copies land in (before they
 * become tensors) and gathered batch rows are assembled in (before one copy to the device), so a
 * step allocates no host memory once the largest transfer has been seen.
 */
final class HostStaging {
    private static final long ALIGNMENT = 64;
    private MemorySegment buffer = MemorySegment.NULL;

    /** At least {@code bytes} of host memory, valid until the next call. */
    MemorySegment take(long bytes) {
        if (buffer.byteSize() < bytes) {
            // doubling: a slowly growing size does not reallocate every time
            long size = Math.max(bytes, Math.min(Long.MAX_VALUE / 2, buffer.byteSize()) * 2);
            buffer = Arena.ofAuto().allocate(Math.max(size, ALIGNMENT), ALIGNMENT);
        }
        return buffer.asSlice(0, bytes);
    }
}
