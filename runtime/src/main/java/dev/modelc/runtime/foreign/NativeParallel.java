package dev.modelc.runtime.foreign;

import dev.modelc.runtime.jvm.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Native code's parallel loops, run on the JVM backend's thread pool. Compiled native code
 * outlines each parallel loop body as {@code void chunk(i64 lo, i64 hi, void* env)} and calls
 * the function pointer {@link #POINTER}, which is
 * {@code void parallel_for(chunk, env, i64 lo, i64 hi, i64 step, i64 work)}: an upcall into
 * {@link Parallel}, whose threads call the chunks back down. One pool serves the JVM and the
 * native backends, so they never compete for the cores.
 */
public final class NativeParallel {
    private NativeParallel() {}

    private static final Linker LINKER = Linker.nativeLinker();

    /** {@code chunk(lo, hi, env)} on a function address; critical: a chunk never calls back into Java. */
    private static final MethodHandle CHUNK = LINKER.downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.critical(false));

    /** The {@code parallel_for} function pointer to pass to native entries. */
    public static final MemorySegment POINTER = upcall();

    private static MemorySegment upcall() {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(NativeParallel.class, "parallelFor",
                    MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class, long.class, long.class, long.class, long.class));
            var descriptor = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
            return LINKER.upcallStub(target, descriptor, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Runs {@code chunk} over {@code [lo, hi)} in pieces on the pool, or in one call when the work
     * is too small to split. Must not throw: an exception escaping an upcall ends the JVM. A
     * failure of the pool itself (none is expected: the chunks are native and cannot throw) is
     * reported and the remaining range run on this thread.
     */
    @SuppressWarnings("unused") // called from native code
    private static void parallelFor(MemorySegment chunk, MemorySegment env, long lo, long hi, long step, long work) {
        try {
            if (hi <= lo) return;
            if (hi > Integer.MAX_VALUE || lo < Integer.MIN_VALUE || step > Integer.MAX_VALUE
                    || !Parallel.worthSplitting((int) lo, (int) hi, (int) step, work)) {
                CHUNK.invokeExact(chunk, lo, hi, env);
                return;
            }
            Parallel.forRange((loop, a, b, captures) -> call(chunk, a, b, env), 0, (int) lo, (int) hi, (int) step, null);
        } catch (Throwable t) {
            System.err.println("modelc: a native parallel loop failed: " + t);
            t.printStackTrace();
            Runtime.getRuntime().halt(70); // the native caller cannot be unwound; stop rather than compute garbage
        }
    }

    private static void call(MemorySegment chunk, long lo, long hi, MemorySegment env) {
        try {
            CHUNK.invokeExact(chunk, lo, hi, env);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
