package dev.modelc.runtime.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The CUDA driver API ({@code libcuda.so.1}) through the Foreign Function &amp; Memory API: one
 * downcall per function the runtime uses, each result checked. The library is opened on first use
 * and never closed. Where {@code cuda.h} renames a function to a versioned symbol (cuMemAlloc is
 * {@code cuMemAlloc_v2}) the versioned symbol is bound, as a C program compiled against it would.
 * Not the runners' interface: {@link NativeCudaDriver} puts these calls behind {@link CudaDriver}.
 */
final class LibCuda {
    static final String LIBRARY = "libcuda.so.1";

    private static final int ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    private static final int ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR = 39;
    private static final int ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    private static final int ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

    private static final int JIT_INFO_LOG_BUFFER = 3;
    private static final int JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    private static final int JIT_ERROR_LOG_BUFFER = 5;
    private static final int JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    private static final int JIT_LOG_BYTES = 16 * 1024;

    private static LibCuda loaded;
    private static String loadFailure;

    private final MethodHandle cuInit, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName, cuDeviceGetAttribute, cuDeviceTotalMem,
            cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRelease, cuCtxSetCurrent, cuCtxSynchronize, cuMemAlloc, cuMemFree,
            cuMemcpyHtoD, cuMemcpyDtoH, cuMemcpyDtoD, cuMemsetD8, cuModuleLoadDataEx, cuModuleGetFunction, cuModuleUnload,
            cuLaunchKernel, cuGetErrorName, cuGetErrorString;

    private LibCuda(SymbolLookup lib) {
        cuInit = bind(lib, "cuInit", JAVA_INT);
        cuDeviceGetCount = bind(lib, "cuDeviceGetCount", ADDRESS);
        cuDeviceGet = bind(lib, "cuDeviceGet", ADDRESS, JAVA_INT);
        cuDeviceGetName = bind(lib, "cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        cuDeviceGetAttribute = bind(lib, "cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        cuDeviceTotalMem = bind(lib, "cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        cuDevicePrimaryCtxRetain = bind(lib, "cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        cuDevicePrimaryCtxRelease = bind(lib, "cuDevicePrimaryCtxRelease_v2", JAVA_INT);
        cuCtxSetCurrent = bind(lib, "cuCtxSetCurrent", ADDRESS);
        cuCtxSynchronize = bind(lib, "cuCtxSynchronize");
        cuMemAlloc = bind(lib, "cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        cuMemFree = bind(lib, "cuMemFree_v2", JAVA_LONG);
        cuMemcpyHtoD = bind(lib, "cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
        cuMemcpyDtoH = bind(lib, "cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        cuMemcpyDtoD = bind(lib, "cuMemcpyDtoD_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG);
        cuMemsetD8 = bind(lib, "cuMemsetD8_v2", JAVA_LONG, JAVA_BYTE, JAVA_LONG);
        cuModuleLoadDataEx = bind(lib, "cuModuleLoadDataEx", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        cuModuleGetFunction = bind(lib, "cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        cuModuleUnload = bind(lib, "cuModuleUnload", ADDRESS);
        cuLaunchKernel = bind(lib, "cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS);
        cuGetErrorName = bind(lib, "cuGetErrorName", JAVA_INT, ADDRESS);
        cuGetErrorString = bind(lib, "cuGetErrorString", JAVA_INT, ADDRESS);
    }

    /**
     * The bound library, opened on the first call.
     *
     * @throws CudaException with a one-line reason if there is no driver library or it lacks a function
     */
    static synchronized LibCuda get() {
        if (loaded != null) return loaded;
        if (loadFailure == null) {
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            } catch (IllegalArgumentException e) {
                loadFailure = "no NVIDIA driver (" + LIBRARY + " not found)";
                throw new CudaException(loadFailure);
            }
            try {
                loaded = new LibCuda(lib);
                return loaded;
            } catch (MissingSymbol e) {
                loadFailure = "the NVIDIA driver is too old (" + LIBRARY + " has no " + e.getMessage() + ")";
            }
        }
        throw new CudaException(loadFailure);
    }

    /** The driver API bound from the library at {@code path}: for a stand-in library in tests. */
    static LibCuda load(java.nio.file.Path path) {
        return new LibCuda(SymbolLookup.libraryLookup(path, Arena.global()));
    }

    private static final class MissingSymbol extends RuntimeException {
        MissingSymbol(String symbol) { super(symbol, null, false, false); }
    }

    /** A downcall returning {@code CUresult} (an int) with these parameters. */
    private static MethodHandle bind(SymbolLookup lib, String symbol, java.lang.foreign.MemoryLayout... params) {
        MemorySegment address = lib.find(symbol).orElseThrow(() -> new MissingSymbol(symbol));
        return Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(JAVA_INT, params));
    }

    // ---- errors ---------------------------------------------------------------------------

    /** Throws the exception for a failed call; {@code subject} (a kernel, a module) may be null. */
    void check(String call, String subject, int result) {
        if (result != 0) throw failure(call, subject, result, "");
    }

    CudaException failure(String call, String subject, int result, String detail) {
        return CudaException.failed(call, subject, result, errorText(cuGetErrorName, result, "CUDA error " + result),
                errorText(cuGetErrorString, result, "no description"), detail);
    }

    private static String errorText(MethodHandle lookup, int result, String fallback) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int r = (int) lookup.invokeExact(result, out);
            MemorySegment text = out.get(ADDRESS, 0);
            // the driver's strings are static and NUL-terminated; their length is not known up front
            return r == 0 && !text.equals(MemorySegment.NULL) ? text.reinterpret(Long.MAX_VALUE).getString(0) : fallback;
        } catch (Throwable t) {
            return fallback;
        }
    }

    /** A CUDA exception from a call as it is; anything else the downcall threw, wrapped. */
    private static RuntimeException rethrow(String call, Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("calling " + call + " failed", t);
    }

    // ---- initialisation and devices ---------------------------------------------------------

    void init() {
        try {
            check("cuInit", null, (int) cuInit.invokeExact(0));
        } catch (Throwable t) {
            throw rethrow("cuInit", t);
        }
    }

    int deviceCount() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDeviceGetCount", null, (int) cuDeviceGetCount.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow("cuDeviceGetCount", t);
        }
    }

    /** The {@code CUdevice} of the device with this ordinal. */
    int device(int ordinal) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDeviceGet", null, (int) cuDeviceGet.invokeExact(out, ordinal));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow("cuDeviceGet", t);
        }
    }

    /** The facts about device {@code ordinal}. */
    CudaDevice describe(int ordinal) {
        int device = device(ordinal);
        return new CudaDevice(ordinal, deviceName(device), attribute(ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
                attribute(ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), attribute(ATTRIBUTE_MULTIPROCESSOR_COUNT, device),
                attribute(ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR, device), totalMemory(device));
    }

    private String deviceName(int device) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(256);
            check("cuDeviceGetName", null, (int) cuDeviceGetName.invokeExact(out, 256, device));
            return out.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow("cuDeviceGetName", t);
        }
    }

    private int attribute(int attribute, int device) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDeviceGetAttribute", null, (int) cuDeviceGetAttribute.invokeExact(out, attribute, device));
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow("cuDeviceGetAttribute", t);
        }
    }

    private long totalMemory(int device) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuDeviceTotalMem_v2", null, (int) cuDeviceTotalMem.invokeExact(out, device));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow("cuDeviceTotalMem_v2", t);
        }
    }

    // ---- context ----------------------------------------------------------------------------

    /** The device's primary context (a {@code CUcontext}), its reference count raised. */
    long retainPrimaryContext(int device) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", null, (int) cuDevicePrimaryCtxRetain.invokeExact(out, device));
            return out.get(ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow("cuDevicePrimaryCtxRetain", t);
        }
    }

    void releasePrimaryContext(int device) {
        try {
            check("cuDevicePrimaryCtxRelease_v2", null, (int) cuDevicePrimaryCtxRelease.invokeExact(device));
        } catch (Throwable t) {
            throw rethrow("cuDevicePrimaryCtxRelease_v2", t);
        }
    }

    void setCurrent(long context) {
        try {
            check("cuCtxSetCurrent", null, (int) cuCtxSetCurrent.invokeExact(MemorySegment.ofAddress(context)));
        } catch (Throwable t) {
            throw rethrow("cuCtxSetCurrent", t);
        }
    }

    void synchronize() {
        try {
            check("cuCtxSynchronize", null, (int) cuCtxSynchronize.invokeExact());
        } catch (Throwable t) {
            throw rethrow("cuCtxSynchronize", t);
        }
    }

    // ---- memory -----------------------------------------------------------------------------

    long allocate(long bytes) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuMemAlloc_v2", bytes + " bytes", (int) cuMemAlloc.invokeExact(out, bytes));
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow("cuMemAlloc_v2", t);
        }
    }

    void free(long address) {
        try {
            check("cuMemFree_v2", null, (int) cuMemFree.invokeExact(address));
        } catch (Throwable t) {
            throw rethrow("cuMemFree_v2", t);
        }
    }

    void copyToDevice(long to, MemorySegment from, long bytes) {
        try {
            check("cuMemcpyHtoD_v2", null, (int) cuMemcpyHtoD.invokeExact(to, from, bytes));
        } catch (Throwable t) {
            throw rethrow("cuMemcpyHtoD_v2", t);
        }
    }

    void copyToHost(MemorySegment to, long from, long bytes) {
        try {
            check("cuMemcpyDtoH_v2", null, (int) cuMemcpyDtoH.invokeExact(to, from, bytes));
        } catch (Throwable t) {
            throw rethrow("cuMemcpyDtoH_v2", t);
        }
    }

    void copyOnDevice(long to, long from, long bytes) {
        try {
            check("cuMemcpyDtoD_v2", null, (int) cuMemcpyDtoD.invokeExact(to, from, bytes));
        } catch (Throwable t) {
            throw rethrow("cuMemcpyDtoD_v2", t);
        }
    }

    void zero(long address, long bytes) {
        try {
            check("cuMemsetD8_v2", null, (int) cuMemsetD8.invokeExact(address, (byte) 0, bytes));
        } catch (Throwable t) {
            throw rethrow("cuMemsetD8_v2", t);
        }
    }

    // ---- modules and launches ---------------------------------------------------------------

    /**
     * Loads PTX text, with the JIT's error and info logs captured: a compile failure's exception
     * carries the error log, and the info log (warnings) comes back with the handle.
     */
    CudaDriver.ModuleHandle loadModule(String name, String ptx) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocateFrom(ptx, StandardCharsets.UTF_8);
            MemorySegment errorLog = arena.allocate(JIT_LOG_BYTES);
            MemorySegment infoLog = arena.allocate(JIT_LOG_BYTES);
            MemorySegment options = arena.allocateFrom(JAVA_INT, JIT_ERROR_LOG_BUFFER, JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                    JIT_INFO_LOG_BUFFER, JIT_INFO_LOG_BUFFER_SIZE_BYTES);
            MemorySegment values = arena.allocate(ADDRESS, 4);
            values.setAtIndex(ADDRESS, 0, errorLog);
            // a size option's value travels in the pointer slot itself, not behind it
            values.setAtIndex(JAVA_LONG, 1, JIT_LOG_BYTES);
            values.setAtIndex(ADDRESS, 2, infoLog);
            values.setAtIndex(JAVA_LONG, 3, JIT_LOG_BYTES);
            MemorySegment out = arena.allocate(ADDRESS);
            int result = (int) cuModuleLoadDataEx.invokeExact(out, image, 4, options, values);
            if (result != 0) throw failure("cuModuleLoadDataEx", name, result, logText(errorLog));
            return new CudaDriver.ModuleHandle(name, out.get(ADDRESS, 0).address(), logText(infoLog));
        } catch (Throwable t) {
            throw rethrow("cuModuleLoadDataEx", t);
        }
    }

    /** A log buffer's text: NUL-terminated, and the driver may fill it to the last byte. */
    private static String logText(MemorySegment log) {
        log.set(JAVA_BYTE, log.byteSize() - 1, (byte) 0);
        return log.getString(0, StandardCharsets.UTF_8).strip();
    }

    long function(CudaDriver.ModuleHandle module, String name) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cuModuleGetFunction", name + " in " + module.name(), (int) cuModuleGetFunction.invokeExact(out,
                    MemorySegment.ofAddress(module.handle()), arena.allocateFrom(name, StandardCharsets.UTF_8)));
            return out.get(ADDRESS, 0).address();
        } catch (Throwable t) {
            throw rethrow("cuModuleGetFunction", t);
        }
    }

    void unloadModule(CudaDriver.ModuleHandle module) {
        try {
            check("cuModuleUnload", module.name(), (int) cuModuleUnload.invokeExact(MemorySegment.ofAddress(module.handle())));
        } catch (Throwable t) {
            throw rethrow("cuModuleUnload", t);
        }
    }

    /** Launches on the legacy default stream (a null {@code CUstream}), no dynamic shared memory. */
    void launch(CudaDriver.FunctionHandle function, int blocks, int threadsPerBlock, KernelParams params) {
        try {
            check("cuLaunchKernel", function.name(), (int) cuLaunchKernel.invokeExact(MemorySegment.ofAddress(function.handle()),
                    blocks, 1, 1, threadsPerBlock, 1, 1, 0, MemorySegment.NULL, params.pointers(), MemorySegment.NULL));
        } catch (Throwable t) {
            throw rethrow("cuLaunchKernel", t);
        }
    }
}
