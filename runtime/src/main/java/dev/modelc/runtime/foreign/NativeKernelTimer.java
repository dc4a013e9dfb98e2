package dev.modelc.runtime.foreign;

import dev.modelc.runtime.jvm.KernelProfile;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Per-kernel timing of natively compiled code ({@code -Dmodelc.profile=true}, as for the JVM
 * backend, into the same {@link KernelProfile} tables). A profiled entry calls
 * {@code void tick(int32_t kernel)} before each kernel and once more, with the kernel count,
 * after the last; each tick closes the previous kernel's interval. The upcall costs well under a
 * microsecond, small beside the kernels it separates.
 */
public final class NativeKernelTimer {
    private final KernelProfile profile;
    private final int kernels;
    private int current = -1;
    private long started;

    private NativeKernelTimer(KernelProfile profile, int kernels) {
        this.profile = profile;
        this.kernels = kernels;
    }

    /** A timer for {@code program}'s kernels, as a function pointer for its entry to call. */
    public static MemorySegment hook(String program, List<String> kernelNames) {
        var timer = new NativeKernelTimer(KernelProfile.register(program, String.join(",", kernelNames)), kernelNames.size());
        try {
            var tick = MethodHandles.lookup().findVirtual(NativeKernelTimer.class, "tick", MethodType.methodType(void.class, int.class)).bindTo(timer);
            return Linker.nativeLinker().upcallStub(tick, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private void tick(int kernel) {
        long now = KernelProfile.now();
        if (current >= 0) profile.add(current, now - started);
        current = kernel < kernels ? kernel : -1;
        started = KernelProfile.now();
    }
}
