package dev.modelc.runtime.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link CudaDriver} without a GPU: "device memory" is host memory at made-up addresses, every
 * call is recorded, and a launch runs the Java kernel a test registered for the function's name,
 * on the argument values read back through the kernel parameters as the driver would read them.
 * A test can make the next call of a kind fail with a driver error.
 */
final class FakeCudaDriver implements CudaDriver {
    /** A kernel written in Java: it reads and writes the fake device memory through {@link #memory}. */
    interface Kernel {
        void run(Launch launch);
    }

    /** One launch as the kernel sees it. */
    record Launch(String function, int blocks, int threadsPerBlock, long[] args) {
        long arg(int i) { return args[i]; }
    }

    /** One recorded call: its kind ({@code alloc}, {@code free}, {@code htod}, {@code dtoh}, {@code dtod}, {@code zero}, {@code load}, {@code function}, {@code unload}, {@code launch}, {@code sync}), the address or name, and the bytes. */
    record Call(String kind, long address, String name, long bytes) {}

    private record Failure(int code, String name, String description) {}

    private final CudaDevice device = new CudaDevice(0, "Fake GPU", 8, 0, 4, 2048, 1L << 30);
    private final TreeMap<Long, MemorySegment> memory = new TreeMap<>();
    private final Map<String, Kernel> kernels = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<Launch> launches = new ArrayList<>();
    private long nextAddress = 0x7f00_0000_0000L;
    private long memoryLimit = Long.MAX_VALUE;

    void kernel(String function, Kernel k) { kernels.put(function, k); }

    /** The next call of this kind fails with this driver error. */
    void failNext(String kind, int code, String name, String description) { failures.put(kind, new Failure(code, name, description)); }

    /** Allocations beyond this many live bytes fail with CUDA_ERROR_OUT_OF_MEMORY. */
    void limitMemory(long bytes) { memoryLimit = bytes; }

    List<Call> calls() { return List.copyOf(calls); }

    List<Launch> launches() { return List.copyOf(launches); }

    void clearCalls() {
        calls.clear();
        launches.clear();
    }

    /** The recorded calls of one kind. */
    List<Call> calls(String kind) { return calls.stream().filter(c -> c.kind().equals(kind)).toList(); }

    /** How many calls of this kind touched {@code address}. */
    long count(String kind, long address) { return calls(kind).stream().filter(c -> c.address() == address).count(); }

    /** Live allocations, by address. */
    Map<Long, Long> live() {
        var out = new TreeMap<Long, Long>();
        memory.forEach((a, m) -> out.put(a, m.byteSize()));
        return out;
    }

    /** The fake device memory from {@code address} to the end of its allocation. */
    MemorySegment memory(long address) {
        var e = memory.floorEntry(address);
        if (e == null || address >= e.getKey() + e.getValue().byteSize()) {
            throw new IllegalArgumentException("0x" + Long.toHexString(address) + " is not device memory");
        }
        return e.getValue().asSlice(address - e.getKey());
    }

    private void record(String kind, long address, String name, long bytes) {
        calls.add(new Call(kind, address, name, bytes));
        var f = failures.remove(kind);
        if (f != null) throw CudaException.failed(callName(kind), name, f.code(), f.name(), f.description(), "");
    }

    private static String callName(String kind) {
        return switch (kind) {
            case "alloc" -> "cuMemAlloc_v2";
            case "free" -> "cuMemFree_v2";
            case "htod" -> "cuMemcpyHtoD_v2";
            case "dtoh" -> "cuMemcpyDtoH_v2";
            case "dtod" -> "cuMemcpyDtoD_v2";
            case "zero" -> "cuMemsetD8_v2";
            case "load" -> "cuModuleLoadDataEx";
            case "function" -> "cuModuleGetFunction";
            case "unload" -> "cuModuleUnload";
            case "launch" -> "cuLaunchKernel";
            case "sync" -> "cuCtxSynchronize";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @Override
    public CudaDevice device() { return device; }

    @Override
    public long allocate(long bytes) {
        if (bytes <= 0) throw CudaException.failed("cuMemAlloc_v2", null, 1, "CUDA_ERROR_INVALID_VALUE", "invalid argument", "");
        long liveBytes = memory.values().stream().mapToLong(MemorySegment::byteSize).sum();
        if (liveBytes + bytes > memoryLimit) failNext("alloc", CudaException.OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory");
        record("alloc", nextAddress, bytes + " bytes", bytes);
        long address = nextAddress;
        // garbage, as fresh device memory may hold: a runner must not rely on zeros it did not write
        var m = Arena.ofAuto().allocate(bytes, 256);
        m.fill((byte) 0x5a);
        memory.put(address, m);
        nextAddress += (bytes + 4095) & ~4095L;
        return address;
    }

    @Override
    public void free(long address) {
        record("free", address, null, 0);
        if (memory.remove(address) == null) throw new IllegalStateException("double free of 0x" + Long.toHexString(address));
    }

    @Override
    public void copyToDevice(long to, MemorySegment from, long bytes) {
        record("htod", to, null, bytes);
        MemorySegment.copy(from, 0, memory(to), 0, bytes);
    }

    @Override
    public void copyToHost(MemorySegment to, long from, long bytes) {
        record("dtoh", from, null, bytes);
        MemorySegment.copy(memory(from), 0, to, 0, bytes);
    }

    @Override
    public void copyOnDevice(long to, long from, long bytes) {
        record("dtod", to, null, bytes);
        MemorySegment.copy(memory(from), 0, memory(to), 0, bytes);
    }

    @Override
    public void zero(long address, long bytes) {
        record("zero", address, null, bytes);
        memory(address).asSlice(0, bytes).fill((byte) 0);
    }

    @Override
    public ModuleHandle loadModule(String name, String ptx) {
        record("load", 0, name, ptx.length());
        return new ModuleHandle(name, 0x1000, "");
    }

    @Override
    public FunctionHandle function(ModuleHandle module, String name) {
        record("function", 0, name + " in " + module.name(), 0);
        if (!kernels.containsKey(name)) {
            throw CudaException.failed("cuModuleGetFunction", name + " in " + module.name(), 500, "CUDA_ERROR_NOT_FOUND", "named symbol not found", "");
        }
        return new FunctionHandle(name, 0x2000 + name.hashCode());
    }

    @Override
    public void unloadModule(ModuleHandle module) { record("unload", 0, module.name(), 0); }

    @Override
    public void launch(FunctionHandle function, int blocks, int threadsPerBlock, KernelParams params) {
        record("launch", 0, function.name(), 0);
        var launch = new Launch(function.name(), blocks, threadsPerBlock, params.values());
        launches.add(launch);
        kernels.get(function.name()).run(launch);
    }

    @Override
    public void synchronize() { record("sync", 0, null, 0); }
}
