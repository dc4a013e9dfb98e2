package dev.modelc.codegen.llvm;

import dev.modelc.runtime.cuda.CudaDevice;
import dev.modelc.runtime.cuda.CudaDriver;
import dev.modelc.runtime.cuda.GpuPlan;
import dev.modelc.runtime.cuda.KernelParams;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link CudaDriver} without a GPU, for tests: "device memory" is host memory, and a module's
 * kernels are the GPU backend's own kernels and launch plans ({@link PtxCompiler#simulate}) compiled
 * for this CPU, a launch calling its function once per thread of the grid, one thread after
 * another. Everything of the GPU path but the NVPTX code generator and the driver itself (the
 * plans, the grid-stride loops, the runtime's buffers and copies) is then checked against the
 * interpreter on any machine. The PTX text given to {@link #loadModule} is ignored.
 */
public final class SimulatedGpu implements CudaDriver {
    private static final CudaDevice DEVICE = new CudaDevice(0, "simulated GPU (this CPU)", 8, 0, 1, GpuPlan.THREADS_PER_BLOCK, 1L << 34);

    private final Map<String, GpuPlan> plans;
    private final LlvmJit jit;
    /** Live allocations, kept reachable until freed (automatic arenas: an unclosed runner leaks nothing). */
    private final Map<Long, MemorySegment> allocations = new HashMap<>();
    private final Map<Long, MethodHandle> functions = new HashMap<>();
    private long launches;

    SimulatedGpu(Map<String, GpuPlan> plans, LlvmJit jit) {
        this.plans = Map.copyOf(plans);
        this.jit = jit;
    }

    /** Each entry's launch plan. */
    public Map<String, GpuPlan> plans() { return plans; }

    /** How many launches ran. */
    public long launches() { return launches; }

    @Override
    public CudaDevice device() { return DEVICE; }

    @Override
    public synchronized long allocate(long bytes) {
        MemorySegment memory = Arena.ofAuto().allocate(bytes, 64);
        allocations.put(memory.address(), memory);
        return memory.address();
    }

    @Override
    public synchronized void free(long address) {
        if (allocations.remove(address) == null) throw new IllegalArgumentException("freeing " + Long.toHexString(address) + ", which was not allocated");
    }

    @Override
    public void copyToDevice(long to, MemorySegment from, long bytes) { at(to, bytes).copyFrom(from.asSlice(0, bytes)); }

    @Override
    public void copyToHost(MemorySegment to, long from, long bytes) { to.asSlice(0, bytes).copyFrom(at(from, bytes)); }

    @Override
    public void copyOnDevice(long to, long from, long bytes) { at(to, bytes).copyFrom(at(from, bytes)); }

    @Override
    public void zero(long address, long bytes) { at(address, bytes).fill((byte) 0); }

    @Override
    public ModuleHandle loadModule(String name, String ptx) { return new ModuleHandle(name, 1, ""); }

    @Override
    public synchronized FunctionHandle function(ModuleHandle module, String name) {
        long address = jit.lookup(name);
        int params = 0;
        for (var plan : plans.values()) {
            for (var l : plan.launches()) if (l.function().equals(name)) params = 1 + l.storages().size() + plan.layout().dims().size();
        }
        var layouts = new ValueLayout[params + 2];
        Arrays.fill(layouts, ValueLayout.JAVA_LONG);
        functions.put(address, Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address), FunctionDescriptor.ofVoid(layouts))
                .asSpreader(long[].class, layouts.length));
        return new FunctionHandle(name, address);
    }

    @Override
    public void unloadModule(ModuleHandle module) {}

    @Override
    public void launch(FunctionHandle function, int blocks, int threadsPerBlock, KernelParams params) {
        MethodHandle f;
        synchronized (this) {
            f = functions.get(function.handle());
            launches++;
        }
        long[] values = params.values();
        long[] args = Arrays.copyOf(values, values.length + 2);
        long threads = (long) blocks * threadsPerBlock;
        args[values.length + 1] = threads;
        try {
            for (long t = 0; t < threads; t++) {
                args[values.length] = t;
                f.invokeExact(args);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("simulated launch of " + function.name() + " failed", e);
        }
    }

    @Override
    public void synchronize() {}

    private static MemorySegment at(long address, long bytes) { return MemorySegment.ofAddress(address).reinterpret(bytes); }
}
