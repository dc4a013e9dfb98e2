package dev.modelc.runtime.cuda;

import java.lang.foreign.MemorySegment;

/**
 * The real {@link CudaDriver}: libcuda on one device's primary context. The context is retained
 * when this opens and released when it closes; every call first makes it current on the calling
 * thread (a CUDA context is current per thread, and the runners may be driven from any thread).
 * Close the runners, allocators and modules made on it first.
 */
public final class NativeCudaDriver implements CudaDriver, AutoCloseable {
    private final LibCuda lib;
    private final CudaDevice device;
    private final int handle;
    private final long context;
    private volatile boolean closed;

    private NativeCudaDriver(LibCuda lib, CudaDevice device, int handle, long context) {
        this.lib = lib;
        this.device = device;
        this.handle = handle;
        this.context = context;
    }

    /** Device 0. */
    public static NativeCudaDriver open() { return open(0); }

    /**
     * Initialises the driver and makes device {@code ordinal}'s primary context current on the
     * calling thread.
     *
     * @throws CudaException if there is no driver or no such device ({@link CudaAvailability} says why up front)
     */
    public static NativeCudaDriver open(int ordinal) { return open(LibCuda.get(), ordinal); }

    /** As {@link #open(int)} on a bound library (a test's stand-in). */
    static NativeCudaDriver open(LibCuda lib, int ordinal) {
        lib.init();
        int count = lib.deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw new CudaException(count == 0 ? "no CUDA device" : "no CUDA device " + ordinal + " (there are " + count + ")");
        }
        CudaDevice device = lib.describe(ordinal);
        int handle = lib.device(ordinal);
        long context = lib.retainPrimaryContext(handle);
        var driver = new NativeCudaDriver(lib, device, handle, context);
        lib.setCurrent(context);
        return driver;
    }

    @Override
    public CudaDevice device() { return device; }

    /** Makes this driver's context current here: cheap (the driver sets a thread-local). */
    private LibCuda current() {
        if (closed) throw new IllegalStateException("the CUDA driver for device " + device.ordinal() + " is closed");
        lib.setCurrent(context);
        return lib;
    }

    @Override
    public long allocate(long bytes) { return current().allocate(bytes); }

    @Override
    public void free(long address) { current().free(address); }

    @Override
    public void copyToDevice(long to, MemorySegment from, long bytes) { current().copyToDevice(to, from, bytes); }

    @Override
    public void copyToHost(MemorySegment to, long from, long bytes) { current().copyToHost(to, from, bytes); }

    @Override
    public void copyOnDevice(long to, long from, long bytes) { current().copyOnDevice(to, from, bytes); }

    @Override
    public void zero(long address, long bytes) { current().zero(address, bytes); }

    @Override
    public ModuleHandle loadModule(String name, String ptx) { return current().loadModule(name, ptx); }

    @Override
    public FunctionHandle function(ModuleHandle module, String name) {
        return new FunctionHandle(name, current().function(module, name));
    }

    @Override
    public void unloadModule(ModuleHandle module) { current().unloadModule(module); }

    @Override
    public void launch(FunctionHandle function, int blocks, int threadsPerBlock, KernelParams params) {
        current().launch(function, blocks, threadsPerBlock, params);
    }

    @Override
    public void synchronize() { current().synchronize(); }

    /** Releases the primary context (the driver destroys it, and all its memory and modules, when no one else holds it). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        lib.releasePrimaryContext(handle);
    }
}
