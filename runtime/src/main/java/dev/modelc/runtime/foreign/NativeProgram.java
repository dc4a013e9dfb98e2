package dev.modelc.runtime.foreign;

import dev.modelc.runtime.jvm.CompiledProgram;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A natively compiled entry behind the {@link CompiledProgram} interface, so that the JVM
 * backend's runners ({@code ProgramRunner}, {@code ResidentRunner}) drive it on off-heap storage.
 * The entry's C signature is
 * {@code int32_t entry(void** buffers, const int64_t* dims, parallel_for_fn* parallel)}: a
 * pointer per buffer id (a slot's buffers share one), the dimension values in the layout's
 * order, and the function that runs parallel loops ({@link NativeParallel}; null runs them on
 * the calling thread). It returns a {@link NativeStatus}.
 */
public final class NativeProgram implements CompiledProgram {
    private static final MethodHandle ENTRY = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    private final String entry;
    private final MemorySegment address;
    private final MemorySegment table;
    private final MemorySegment dims;
    private final boolean threads;
    @SuppressWarnings("unused") // keeps the code alive: the JIT session, or the loaded library
    private final Object owner;

    /**
     * @param address the entry function's address
     * @param threads whether parallel loops may use the thread pool
     * @param owner what keeps the code at {@code address} mapped, held as long as this program
     */
    public NativeProgram(ProgramLayout layout, MemorySegment address, boolean threads, Object owner) {
        this.entry = layout.entry();
        this.address = address;
        this.threads = threads;
        this.owner = owner;
        var arena = Arena.ofAuto();
        this.table = arena.allocate(ValueLayout.ADDRESS, Math.max(1, layout.buffers().size()));
        this.dims = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, layout.dims().size()));
    }

    @Override
    public boolean offHeap() { return true; }

    @Override
    public void bind(Object[] buffers, int[] dimValues) {
        for (int i = 0; i < buffers.length; i++) table.setAtIndex(ValueLayout.ADDRESS, i, (MemorySegment) buffers[i]);
        for (int i = 0; i < dimValues.length; i++) dims.setAtIndex(ValueLayout.JAVA_LONG, i, dimValues[i]);
    }

    @Override
    public void run() {
        int status;
        try {
            MemorySegment parallel = threads ? NativeParallel.POINTER : MemorySegment.NULL;
            status = (int) ENTRY.invokeExact(address, table, dims, parallel);
        } catch (Throwable t) {
            throw new IllegalStateException("calling native entry " + entry + " failed", t);
        }
        NativeStatus.check(entry, status);
    }

    /** Not used: native parallel loops come back through {@link NativeParallel}, not here. */
    @Override
    public void run(int loop, int lo, int hi, long[] captures) {
        throw new UnsupportedOperationException("native programs run their parallel loops themselves");
    }
}
