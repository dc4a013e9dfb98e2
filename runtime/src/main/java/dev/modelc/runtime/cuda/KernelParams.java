package dev.modelc.runtime.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A kernel's arguments as {@code cuLaunchKernel} takes them: an array of pointers, one per
 * parameter, each to that parameter's value. Every parameter of the kernels this runtime launches
 * is eight bytes (a device pointer or an {@code int64_t} dimension), so the values are one array
 * of longs and the pointers point into it. Made once per storage binding and reused by every run.
 */
public final class KernelParams {
    private final MemorySegment pointers;
    private final int count;

    private KernelParams(MemorySegment pointers, int count) {
        this.pointers = pointers;
        this.count = count;
    }

    /** The parameters {@code values}, in memory that lives as long as {@code arena}. */
    public static KernelParams of(Arena arena, long... values) {
        int n = values.length;
        MemorySegment held = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, n));
        MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, Math.max(1, n));
        for (int i = 0; i < n; i++) {
            held.setAtIndex(ValueLayout.JAVA_LONG, i, values[i]);
            pointers.setAtIndex(ValueLayout.ADDRESS, i, held.asSlice(i * 8L, 8));
        }
        return new KernelParams(pointers, n);
    }

    /** The {@code void**} to pass as {@code kernelParams}. */
    public MemorySegment pointers() { return pointers; }

    public int count() { return count; }

    /** Parameter {@code i}'s value, read through its pointer as the driver reads it. */
    public long value(int i) {
        java.util.Objects.checkIndex(i, count);
        return pointers.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(8).get(ValueLayout.JAVA_LONG, 0);
    }

    /** Every value, read through the pointers. */
    public long[] values() {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = value(i);
        return out;
    }
}
