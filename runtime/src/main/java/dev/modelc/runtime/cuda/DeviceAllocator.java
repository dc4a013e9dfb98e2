package dev.modelc.runtime.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory from a {@link CudaDriver}, with released blocks kept for reuse instead of freed:
 * {@code cuMemAlloc} and {@code cuMemFree} are slow and synchronise the device, and a training
 * run asks for the same few sizes again and again (each new batch shape, each runner). Requests
 * are rounded up to size classes (four per power of two, so at most a quarter is wasted) and a
 * released block waits, by class, for the next request of its class. When the driver is out of
 * memory the cached blocks are freed and the allocation tried again. Everything the allocator got
 * from the driver, in use or cached, is freed on {@link #close}.
 *
 * <p>All work runs on the one default stream, so a block released after the launches that use it
 * were queued can be handed out at once: later work on it is ordered after theirs.
 */
public final class DeviceAllocator implements AutoCloseable {
    /** The smallest block: also what a zero-byte buffer gets, since the driver allocates no zero bytes. */
    public static final long MIN_BLOCK = 512;

    /** A block of device memory: its address and its size (its class, at least what was asked). */
    public record Block(long address, long size) {}

    private final CudaDriver driver;
    private final Map<Long, ArrayDeque<Long>> cached = new HashMap<>();
    /** Every block the driver gave, by address: its size. */
    private final Map<Long, Long> owned = new HashMap<>();
    private final java.util.Set<Long> inUse = new java.util.HashSet<>();
    private long cachedBytes;
    private boolean closed;

    public DeviceAllocator(CudaDriver driver) { this.driver = driver; }

    public CudaDriver driver() { return driver; }

    /** The class a request of {@code bytes} is rounded up to. */
    public static long sizeClass(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes);
        if (bytes <= MIN_BLOCK) return MIN_BLOCK;
        int octave = 63 - Long.numberOfLeadingZeros(bytes - 1); // 2^octave < bytes <= 2^(octave+1)
        long step = 1L << (octave - 2);
        return Math.multiplyExact(Math.ceilDiv(bytes, step), step);
    }

    /** A block of at least {@code bytes}, cached if one of its class is free. Its contents are whatever was there. */
    public synchronized Block allocate(long bytes) {
        if (closed) throw new IllegalStateException("the device allocator is closed");
        long size = sizeClass(bytes);
        var free = cached.get(size);
        if (free != null && !free.isEmpty()) {
            long address = free.pop();
            cachedBytes -= size;
            inUse.add(address);
            return new Block(address, size);
        }
        long address;
        try {
            address = driver.allocate(size);
        } catch (CudaException e) {
            if (e.code() != CudaException.OUT_OF_MEMORY || cachedBytes == 0) throw e;
            trim();
            address = driver.allocate(size);
        }
        owned.put(address, size);
        inUse.add(address);
        return new Block(address, size);
    }

    /** Gives a block back for reuse. */
    public synchronized void release(Block block) {
        if (closed) return; // its memory went with the allocator
        if (!inUse.remove(block.address())) {
            throw new IllegalArgumentException("device block 0x" + Long.toHexString(block.address()) + " is not in use here");
        }
        cached.computeIfAbsent(block.size(), s -> new ArrayDeque<>()).push(block.address());
        cachedBytes += block.size();
    }

    /** Frees every cached block. */
    public synchronized void trim() {
        for (var free : cached.values()) {
            for (long address : free) {
                owned.remove(address);
                driver.free(address);
            }
        }
        cached.clear();
        cachedBytes = 0;
    }

    /** Bytes held from the driver, in use or cached. */
    public synchronized long reservedBytes() { return owned.values().stream().mapToLong(Long::longValue).sum(); }

    /** Bytes held for reuse. */
    public synchronized long cachedBytes() { return cachedBytes; }

    /** Frees everything held, in use or not. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        CudaException first = null;
        for (long address : owned.keySet()) {
            try {
                driver.free(address);
            } catch (CudaException e) {
                if (first == null) first = e; // free the rest anyway
            }
        }
        owned.clear();
        inUse.clear();
        cached.clear();
        cachedBytes = 0;
        if (first != null) throw first;
    }
}
