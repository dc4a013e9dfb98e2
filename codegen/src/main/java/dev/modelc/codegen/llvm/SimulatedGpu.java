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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link CudaDriver} without a GPU, for tests: "device memory" is host memory, and a module's
 * kernels are the GPU backend's own kernels and launch plans ({@link PtxCompiler#simulate})
 * compiled for this CPU. A grid or one-thread launch calls its function once per thread, one
 * thread after another; a launch of blocks written with barriers and warp shuffles runs each
 * block's threads as real threads that meet at the barriers, with the block's shared memory.
 * Everything of the GPU path but the NVPTX code generator and the driver itself (the kernels'
 * Loop IR, the launch plans, the runtime's buffers and copies) is then checked against the
 * interpreter on any machine. The PTX text given to {@link #loadModule} is ignored.
 */
public final class SimulatedGpu implements CudaDriver {
    private static final CudaDevice DEVICE = new CudaDevice(0, "simulated GPU (this CPU)", 8, 0, 1, GpuPlan.THREADS_PER_BLOCK, 1L << 34);
    private static final long WARP = 32;
    private static final ThreadLocal<BlockThread> CURRENT = new ThreadLocal<>();
    private static final MemorySegment BARRIER, SHUFFLE, MMA;
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "simulated-gpu-thread");
        t.setDaemon(true);
        return t;
    });

    static {
        try {
            var lookup = MethodHandles.lookup();
            BARRIER = Linker.nativeLinker().upcallStub(lookup.findStatic(SimulatedGpu.class, "barrier", MethodType.methodType(void.class)),
                    FunctionDescriptor.ofVoid(), Arena.global());
            SHUFFLE = Linker.nativeLinker().upcallStub(
                    lookup.findStatic(SimulatedGpu.class, "shuffle", MethodType.methodType(long.class, long.class, long.class)),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Arena.global());
            MMA = Linker.nativeLinker().upcallStub(
                    lookup.findStatic(SimulatedGpu.class, "mma", MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class)),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The arguments after the dimensions and before the shared buffers. */
    private static final int FIXED = 7;

    private final Map<String, GpuPlan> plans;
    private final Map<String, List<Long>> sharedBytes;
    private final LlvmJit jit;
    /** Live allocations, kept reachable until freed (automatic arenas: an unclosed runner leaks nothing). */
    private final Map<Long, MemorySegment> allocations = new HashMap<>();
    private final Map<Long, Function> functions = new HashMap<>();
    private long launches;

    private record Function(MethodHandle handle, GpuPlan.Mode mode, List<Long> shared) {}

    SimulatedGpu(Map<String, GpuPlan> plans, Map<String, List<Long>> sharedBytes, LlvmJit jit) {
        this.plans = Map.copyOf(plans);
        this.sharedBytes = Map.copyOf(sharedBytes);
        this.jit = jit;
    }

    /** Each entry's launch plan. */
    public Map<String, GpuPlan> plans() { return plans; }

    /** How many launches ran. */
    public synchronized long launches() { return launches; }

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
        GpuPlan.Launch launch = null;
        int dims = 0;
        for (var plan : plans.values()) {
            for (var l : plan.launches()) {
                if (l.function().equals(name)) {
                    launch = l;
                    dims = plan.layout().dims().size();
                }
            }
        }
        if (launch == null) throw new IllegalArgumentException("no launch runs " + name);
        List<Long> shared = sharedBytes.getOrDefault(name, List.of());
        // (status, storages..., dims..., thread, block, threads per block, blocks, barrier, shuffle, mma, shared...): all 64-bit
        var layouts = new ValueLayout[1 + launch.storages().size() + dims + FIXED + shared.size()];
        Arrays.fill(layouts, ValueLayout.JAVA_LONG);
        MethodHandle handle = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address), FunctionDescriptor.ofVoid(layouts))
                .asSpreader(long[].class, layouts.length);
        functions.put(address, new Function(handle, launch.mode(), shared));
        return new FunctionHandle(name, address);
    }

    @Override
    public void unloadModule(ModuleHandle module) {}

    @Override
    public void launch(FunctionHandle function, int blocks, int threadsPerBlock, KernelParams params) {
        Function f;
        synchronized (this) {
            f = functions.get(function.handle());
            launches++;
        }
        long[] values = params.values();
        int at = values.length;
        long[] args = Arrays.copyOf(values, at + FIXED + f.shared().size());
        args[at + 2] = threadsPerBlock;
        args[at + 3] = blocks;
        args[at + 4] = BARRIER.address();
        args[at + 5] = SHUFFLE.address();
        args[at + 6] = MMA.address();
        try {
            for (long block = 0; block < blocks; block++) {
                args[at + 1] = block;
                if (f.mode() == GpuPlan.Mode.BLOCKS) {
                    runBlock(function.name(), f, args, at, threadsPerBlock);
                    continue;
                }
                for (long t = 0; t < threadsPerBlock; t++) {
                    args[at] = t;
                    f.handle().invokeExact(args);
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("simulated launch of " + function.name() + " failed", e);
        }
    }

    @Override
    public void synchronize() {}

    /** One block: its threads at once, sharing its shared memory, its barrier and its warps' shuffles. */
    private static void runBlock(String name, Function f, long[] args, int at, int threads) throws Exception {
        var shared = new ArrayList<MemorySegment>();
        try (Arena arena = Arena.ofConfined()) {
            for (long bytes : f.shared()) shared.add(arena.allocate(Math.max(bytes, 1), 64));
            var block = new Block(threads);
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                long[] own = args.clone();
                own[at] = t;
                for (int i = 0; i < shared.size(); i++) own[at + FIXED + i] = shared.get(i).address();
                int thread = t;
                futures.add(THREADS.submit(() -> {
                    CURRENT.set(new BlockThread(block, thread));
                    try {
                        f.handle().invokeExact(own);
                    } catch (Throwable e) {
                        block.fail(e);
                    } finally {
                        CURRENT.remove();
                    }
                    return null;
                }));
            }
            // every thread must be done before the block's shared memory goes: wait through interrupts
            boolean interrupted = false;
            for (var future : futures) {
                while (true) {
                    try {
                        future.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (block.failure != null) throw new IllegalStateException("simulated block of " + name + " failed: " + block.failure, block.failure);
        }
    }

    /** A block's meeting points: its barrier, and per warp an exchange for shuffles. */
    private static final class Block {
        final int threads;
        final CyclicBarrier barrier;
        final CyclicBarrier[] warps;
        final long[] exchange;
        /** Per lane, its mma fragments: a (4), b (2), c (4). */
        final float[][] fragments;
        volatile Throwable failure;

        Block(int threads) {
            this.threads = threads;
            this.barrier = new CyclicBarrier(threads);
            this.warps = new CyclicBarrier[(int) ((threads + WARP - 1) / WARP)];
            for (int w = 0; w < warps.length; w++) warps[w] = new CyclicBarrier((int) Math.min(WARP, threads - w * WARP));
            this.exchange = new long[threads];
            this.fragments = new float[threads][10];
        }

        void fail(Throwable e) {
            if (failure == null) failure = e;
            barrier.reset();
            for (var w : warps) w.reset();
        }

        /** Waits at {@code meeting}; a thread that never comes (a kernel bug) fails the block instead of hanging it. */
        void await(CyclicBarrier meeting) {
            try {
                meeting.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                // an exception must not leave an upcall: it would end the process
                fail(e);
            }
        }
    }

    private record BlockThread(Block block, int thread) {}

    /** The kernels' {@code bar.sync}; nothing once the block has failed (or outside a block launch, which would be a code generator bug). */
    private static void barrier() {
        var me = CURRENT.get();
        if (me == null || me.block().failure != null) return;
        me.block().await(me.block().barrier);
    }

    /** The kernels' {@code shfl.sync.down} over the full warp, on a value's bits. */
    private static long shuffle(long bits, long delta) {
        var me = CURRENT.get();
        if (me == null || me.block().failure != null) return bits;
        var block = me.block();
        int t = me.thread();
        var warp = block.warps[(int) (t / WARP)];
        block.exchange[t] = bits;
        block.await(warp);
        long lane = t % WARP;
        long from = t + delta;
        long out = lane + delta < WARP && from < block.threads ? block.exchange[(int) from] : bits;
        block.await(warp);
        return out;
    }

    /**
     * The kernels' {@code mma.sync.m16n8k8} with TF32 inputs, for this lane: the warp's fragments
     * gathered (as {@code Stmt.MmaTf32} lays them out), A and B rounded to TF32 (nearest, ties
     * away, as {@code cvt.rna.tf32.f32}), products summed in double and rounded to f32 once (the
     * hardware's order and intermediate precision are its own).
     */
    private static void mma(MemorySegment in, MemorySegment out) {
        var me = CURRENT.get();
        if (me == null || me.block().failure != null) return;
        var block = me.block();
        int t = me.thread();
        int warpStart = (int) (t / WARP * WARP);
        var warp = block.warps[(int) (t / WARP)];
        float[] own = block.fragments[t];
        MemorySegment values = in.reinterpret(10 * Float.BYTES);
        for (int i = 0; i < 10; i++) own[i] = values.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        block.await(warp);
        float[][] a = new float[16][8], b = new float[8][8], c = new float[16][8];
        for (int lane = 0; lane < WARP; lane++) {
            float[] f = block.fragments[warpStart + lane];
            int g = lane / 4, q = lane % 4;
            a[g][q] = tf32(f[0]);
            a[g + 8][q] = tf32(f[1]);
            a[g][q + 4] = tf32(f[2]);
            a[g + 8][q + 4] = tf32(f[3]);
            b[q][g] = tf32(f[4]);
            b[q + 4][g] = tf32(f[5]);
            c[g][2 * q] = f[6];
            c[g][2 * q + 1] = f[7];
            c[g + 8][2 * q] = f[8];
            c[g + 8][2 * q + 1] = f[9];
        }
        block.await(warp);
        int lane = t - warpStart, g = lane / 4, q = lane % 4;
        int[][] mine = {{g, 2 * q}, {g, 2 * q + 1}, {g + 8, 2 * q}, {g + 8, 2 * q + 1}};
        MemorySegment d = out.reinterpret(4 * Float.BYTES);
        for (int i = 0; i < 4; i++) {
            int row = mine[i][0], col = mine[i][1];
            double sum = c[row][col];
            for (int k = 0; k < 8; k++) sum += (double) a[row][k] * b[k][col];
            d.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) sum);
        }
    }

    /** f32 rounded to TF32's 10 mantissa bits, to nearest with ties away from zero. */
    static float tf32(float x) {
        if (!Float.isFinite(x)) return x;
        int bits = Float.floatToRawIntBits(x);
        return Float.intBitsToFloat((bits + 0x1000) & 0xffffe000);
    }

    private static MemorySegment at(long address, long bytes) { return MemorySegment.ofAddress(address).reinterpret(bytes); }
}
