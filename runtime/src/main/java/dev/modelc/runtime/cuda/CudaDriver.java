package dev.modelc.runtime.cuda;

import java.lang.foreign.MemorySegment;

/**
 * The CUDA driver calls the runtime makes, on one device's context: the seam between the runners
 * and libcuda ({@link NativeCudaDriver}), so that tests without a GPU can stand a fake in. Device
 * memory is named by its address ({@code CUdeviceptr}). Every call either succeeds or throws a
 * {@link CudaException} naming the call; copies and {@link #synchronize} wait for the work before
 * them on the default stream, launches and {@link #zero} may return before it is done.
 */
public interface CudaDriver {
    /** The device the calls run on. */
    CudaDevice device();

    /** {@code cuMemAlloc}: {@code bytes} (more than 0) of device memory, uninitialised. */
    long allocate(long bytes);

    /** {@code cuMemFree}. */
    void free(long address);

    /** {@code cuMemcpyHtoD}: {@code bytes} from host memory {@code from} to device address {@code to}. */
    void copyToDevice(long to, MemorySegment from, long bytes);

    /** {@code cuMemcpyDtoH}: {@code bytes} from device address {@code from} into host memory {@code to}. */
    void copyToHost(MemorySegment to, long from, long bytes);

    /** {@code cuMemcpyDtoD}. */
    void copyOnDevice(long to, long from, long bytes);

    /** {@code cuMemsetD8} to zero. */
    void zero(long address, long bytes);

    /**
     * {@code cuModuleLoadDataEx}: PTX text JIT-compiled for the device; a compile failure's
     * message carries the driver's error log.
     *
     * @param name what to call the module in messages
     */
    ModuleHandle loadModule(String name, String ptx);

    /** {@code cuModuleGetFunction}. */
    FunctionHandle function(ModuleHandle module, String name);

    /** {@code cuModuleUnload}. */
    void unloadModule(ModuleHandle module);

    /** {@code cuLaunchKernel} on the default stream: a 1-D grid of {@code blocks} blocks of {@code threadsPerBlock} threads. */
    void launch(FunctionHandle function, int blocks, int threadsPerBlock, KernelParams params);

    /** {@code cuCtxSynchronize}: waits for all work; an asynchronous kernel failure surfaces here. */
    void synchronize();

    /**
     * A loaded module.
     *
     * @param handle the driver's {@code CUmodule}
     * @param jitLog what the JIT compiler said while loading it, if anything (warnings)
     */
    record ModuleHandle(String name, long handle, String jitLog) {}

    /** A kernel of a loaded module; {@code handle} is the driver's {@code CUfunction}. */
    record FunctionHandle(String name, long handle) {}
}
