package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LibCuda} and {@link NativeCudaDriver} against a stand-in for libcuda written in C, where
 * "device memory" is host memory and a launch of {@code add} runs its loop on the CPU: no GPU, but
 * every downcall's Java types, the JIT option encoding, the {@code void**} kernel parameters and
 * the error-text lookups go through the real Foreign Function &amp; Memory path. The stand-in checks
 * what it is given the way the driver documents it and fails with the driver's codes otherwise.
 */
class StandInLibCudaTest {
    private static final String STAND_IN = """
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>

            typedef int CUresult;
            typedef unsigned long long CUdeviceptr;

            static int initialised, retained, live, current, module_token, add_fn, flag_fn, big_fn, ctx_token;
            static int add_blocks, add_threads, last_threads;

            int stand_in_live(void) { return live; }
            int stand_in_retained(void) { return retained; }
            int stand_in_add_blocks(void) { return add_blocks; }
            int stand_in_add_threads(void) { return add_threads; }
            int stand_in_last_threads(void) { return last_threads; }

            CUresult cuInit(unsigned flags) { if (flags) return 1; initialised = 1; return 0; }
            CUresult cuDeviceGetCount(int *n) { if (!initialised) return 3; *n = 1; return 0; }
            CUresult cuDeviceGet(int *d, int ordinal) { if (ordinal) return 101; *d = 7; return 0; }
            CUresult cuDeviceGetName(char *s, int len, int d) { if (d != 7) return 101; snprintf(s, len, "Stand-in GPU"); return 0; }
            CUresult cuDeviceGetAttribute(int *v, int attribute, int d) {
                if (d != 7) return 101;
                switch (attribute) {
                    case 16: *v = 3; return 0;
                    case 39: *v = 1024; return 0;
                    case 75: *v = 8; return 0;
                    case 76: *v = 6; return 0;
                    default: return 1;
                }
            }
            CUresult cuDeviceTotalMem_v2(size_t *bytes, int d) { if (d != 7) return 101; *bytes = (size_t) 3 << 30; return 0; }
            CUresult cuDevicePrimaryCtxRetain(void **ctx, int d) { if (d != 7) return 101; *ctx = &ctx_token; retained++; return 0; }
            CUresult cuDevicePrimaryCtxRelease_v2(int d) { if (d != 7) return 101; retained--; return 0; }
            CUresult cuCtxSetCurrent(void *ctx) { if (ctx != &ctx_token) return 201; current = 1; return 0; }
            CUresult cuCtxSynchronize(void) { return current ? 0 : 201; }
            CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t n) {
                if (!current) return 201;
                if (n == 0) return 1;
                if (n > ((size_t) 1 << 40)) return 2;
                void *m = malloc(n);
                if (!m) return 2;
                *p = (CUdeviceptr) (uintptr_t) m;
                live++;
                return 0;
            }
            CUresult cuMemFree_v2(CUdeviceptr p) { free((void *) (uintptr_t) p); live--; return 0; }
            CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *h, size_t n) { memcpy((void *) (uintptr_t) d, h, n); return 0; }
            CUresult cuMemcpyDtoH_v2(void *h, CUdeviceptr d, size_t n) { memcpy(h, (void *) (uintptr_t) d, n); return 0; }
            CUresult cuMemcpyDtoD_v2(CUdeviceptr a, CUdeviceptr b, size_t n) { memmove((void *) (uintptr_t) a, (void *) (uintptr_t) b, n); return 0; }
            CUresult cuMemsetD8_v2(CUdeviceptr d, unsigned char c, size_t n) { memset((void *) (uintptr_t) d, c, n); return 0; }

            /* the JIT options as cuda.h documents them: log buffers by pointer, their sizes in the pointer slots */
            CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned n, int *options, void **values) {
                char *error = 0, *info = 0;
                unsigned error_size = 0, info_size = 0;
                for (unsigned i = 0; i < n; i++) {
                    switch (options[i]) {
                        case 3: info = values[i]; break;
                        case 4: info_size = (unsigned) (uintptr_t) values[i]; break;
                        case 5: error = values[i]; break;
                        case 6: error_size = (unsigned) (uintptr_t) values[i]; break;
                        default: return 1;
                    }
                    /* a size is a small number in the slot, not a pointer to one */
                    if ((options[i] == 4 || options[i] == 6) && (uintptr_t) values[i] >= ((uintptr_t) 1 << 24)) return 1;
                }
                if (!error || !info || error_size < 64 || info_size < 64) return 1;
                if (strstr((const char *) image, "add.f33")) {
                    snprintf(error, error_size, "ptxas application ptx input, line 42; error   : Unknown modifier '.f33'");
                    return 218;
                }
                snprintf(info, info_size, "ptxas info    : 0 bytes gmem");
                *module = &module_token;
                return 0;
            }
            CUresult cuModuleGetFunction(void **f, void *module, const char *name) {
                if (module != &module_token) return 400;
                if (!strcmp(name, "add")) *f = &add_fn;
                else if (!strcmp(name, "flag_negative")) *f = &flag_fn;
                else if (!strcmp(name, "too_big")) *f = &big_fn;
                else return 500;
                return 0;
            }
            CUresult cuModuleUnload(void *module) { return module == &module_token ? 0 : 400; }

            /* runs the kernels' loops on the CPU, reading each argument through its pointer */
            CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                                    unsigned shared, void *stream, void **params, void **extra) {
                if (!current) return 201;
                if (gy != 1 || gz != 1 || by != 1 || bz != 1 || shared || stream || extra || !gx || !bx) return 1;
                last_threads = (int) bx;
                if (f == &big_fn) return 701;
                int32_t *status = *(int32_t **) params[0];
                if (f == &add_fn) {
                    add_blocks = (int) gx;
                    add_threads = (int) bx;
                    float *a = *(float **) params[1], *b = *(float **) params[2], *y = *(float **) params[3];
                    int64_t n = *(int64_t *) params[4];
                    for (int64_t i = 0; i < n; i++) y[i] = a[i] + b[i];
                    return 0;
                }
                if (f == &flag_fn) {
                    float *y = *(float **) params[1];
                    int64_t n = *(int64_t *) params[2];
                    if (n > 0 && y[0] < 0) *status = 1;
                    return 0;
                }
                return 400;
            }

            static const char *const names[][3] = {
                {"1", "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
                {"2", "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
                {"201", "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
                {"218", "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
                {"400", "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
                {"500", "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
                {"701", "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
            };
            static CUresult text(CUresult e, const char **s, int which) {
                for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
                    if (atoi(names[i][0]) == e) { *s = names[i][which]; return 0; }
                }
                *s = 0;
                return 1;
            }
            CUresult cuGetErrorName(CUresult e, const char **s) { return text(e, s, 1); }
            CUresult cuGetErrorString(CUresult e, const char **s) { return text(e, s, 2); }
            """;

    @TempDir
    static Path dir;
    private static Path built;

    /** The stand-in, compiled on first use. */
    private static synchronized Path build() throws IOException, InterruptedException {
        if (built != null) return built;
        Path source = dir.resolve("libcuda_stand_in.c"), library = dir.resolve("libcuda_stand_in.so");
        Files.writeString(source, STAND_IN);
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O1", "-o", library.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no C compiler (cc) on the PATH: the libcuda stand-in needs one");
            throw e;
        }
        String out = new String(cc.getInputStream().readAllBytes());
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS), "cc took over a minute");
        assertEquals(0, cc.exitValue(), out);
        built = library;
        return library;
    }

    private static int counter(Path library, String name) throws Throwable {
        var fn = SymbolLookup.libraryLookup(library, Arena.global()).find(name).orElseThrow();
        return (int) Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
    }

    private static GpuPlan plan(String kernel) {
        var inputs = new LinkedHashMap<String, Integer>();
        inputs.put("a", 0);
        inputs.put("b", 1);
        var results = new LinkedHashMap<String, Integer>();
        results.put("sum", 2);
        results.put("a", 2);
        return new GpuPlan(new ProgramLayout("add_entry", List.of("N"), List.of(
                new ProgramLayout.Buffer(0, "a", DType.F32, List.of("5"), true, -1),
                new ProgramLayout.Buffer(1, "b", DType.F32, List.of("N"), true, -1),
                new ProgramLayout.Buffer(2, "y", DType.F32, List.of("N"), false, 0)), inputs, results),
                List.of(new GpuPlan.Launch(kernel, GpuPlan.Mode.GRID, List.of(List.of(0), List.of(1), List.of(2))),
                        new GpuPlan.Launch("flag_negative", GpuPlan.Mode.SINGLE, List.of(List.of(2)))));
    }

    @Test
    void theBindingsDriveTheStandInEndToEnd() throws Throwable {
        Path library = build();
        var lib = LibCuda.load(library);
        try (var driver = NativeCudaDriver.open(lib, 0)) {
            assertEquals(new CudaDevice(0, "Stand-in GPU", 8, 6, 3, 1024, 3L << 30), driver.device());
            assertEquals(1, counter(library, "stand_in_retained"));
            try (var module = CudaModule.load(driver, "add", "// ptx");
                 var runner = new CudaRunner(plan("add"), module, Set.of("a"))) {
                assertEquals("ptxas info    : 0 bytes gmem", module.jitLog());
                runner.put("a", Tensor.of(new float[] {1, 2, 3, 4, 5}, 5));
                runner.run(Map.of("b", Tensor.of(new float[] {10, 10, 10, 10, 10}, 5)), Map.of("N", 5L));
                var out = runner.results();
                assertEquals(Map.of("sum", Tensor.of(new float[] {11, 12, 13, 14, 15}, 5)), out);
                assertEquals(3 * (1024 / GpuPlan.THREADS_PER_BLOCK), counter(library, "stand_in_add_blocks"),
                        "the grid is the device's multiprocessors times the blocks each holds");
                assertEquals(GpuPlan.THREADS_PER_BLOCK, counter(library, "stand_in_add_threads"));
                assertEquals(Tensor.of(new float[] {11, 12, 13, 14, 15}, 5), runner.get("a"));

                var e = assertThrows(ArithmeticException.class,
                        () -> runner.run(Map.of("b", Tensor.of(new float[] {-100, 0, 0, 0, 0}, 5)), Map.of("N", 5L)));
                assertEquals("add_entry: integer division by zero", e.getMessage());
                assertEquals(1, counter(library, "stand_in_last_threads"), "the last launch was a single thread");
                runner.putScalar("a", 0.5);
                runner.run(Map.of("b", Tensor.of(new float[] {1, 1, 1, 1, 1}, 5)), Map.of("N", 5L));
                assertEquals(0.5 + 1, runner.results().get("sum").getFloat(0));
            }
            assertEquals(0, counter(library, "stand_in_live"), "every allocation was freed");
        }
        assertEquals(0, counter(library, "stand_in_retained"), "the primary context was released");
    }

    @Test
    void failuresCarryTheDriversNamesDescriptionsAndLogs() throws Throwable {
        var lib = LibCuda.load(build());
        try (var driver = NativeCudaDriver.open(lib, 0)) {
            var e = assertThrows(CudaException.class, () -> CudaModule.load(driver, "broken", "add.f33"));
            assertEquals("cuModuleLoadDataEx(broken) failed: CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed):\n"
                    + "ptxas application ptx input, line 42; error   : Unknown modifier '.f33'", e.getMessage());
            try (var module = CudaModule.load(driver, "add", "// ptx")) {
                e = assertThrows(CudaException.class, () -> module.function("nope"));
                assertEquals("cuModuleGetFunction(nope in add) failed: CUDA_ERROR_NOT_FOUND (named symbol not found)", e.getMessage());
                try (var runner = new CudaRunner(plan("too_big"), module, Set.of())) {
                    e = assertThrows(CudaException.class, () -> runner.run(Map.of("a", Tensor.of(new float[5], 5),
                            "b", Tensor.of(new float[5], 5)), Map.of("N", 5L)));
                    assertEquals("add_entry: cuLaunchKernel(too_big) failed: CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES "
                            + "(too many resources requested for launch)", e.getMessage());
                }
            }
            e = assertThrows(CudaException.class, () -> driver.allocate(1L << 41));
            assertEquals("cuMemAlloc_v2(2199023255552 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)", e.getMessage());
            e = assertThrows(CudaException.class, () -> lib.check("cuSomething", null, 999));
            assertEquals("cuSomething failed: CUDA error 999 (no description)", e.getMessage());
        }
        var e = assertThrows(CudaException.class, () -> NativeCudaDriver.open(lib, 3));
        assertEquals("no CUDA device 3 (there are 1)", e.getMessage());
    }
}
