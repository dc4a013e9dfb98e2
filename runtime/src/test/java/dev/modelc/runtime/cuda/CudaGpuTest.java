package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link CudaRunner} on a real GPU through libcuda, with a hand-written PTX module in the kernels'
 * calling convention {@code (status, storages..., dims...)}. Skipped, with the reason, where there
 * is no usable GPU. The kernels' text is checked with {@code ptxas -arch=sm_80} (no GPU needed).
 */
class CudaGpuTest {
    /** {@code add}: y = a + b over a grid-stride loop; {@code flag_negative}: status 1 if y[0] < 0. Checked with {@code ptxas -arch=sm_80}. */
    static final String PTX = """
            .version 7.8
            .target sm_80
            .address_size 64

            // y[i] = a[i] + b[i] for every i < n, each thread stepping by the whole grid
            .visible .entry add(
            	.param .u64 add_status,
            	.param .u64 add_a,
            	.param .u64 add_b,
            	.param .u64 add_y,
            	.param .u64 add_n
            )
            {
            	.reg .pred 	%p<3>;
            	.reg .b32 	%r<5>;
            	.reg .f32 	%f<4>;
            	.reg .b64 	%rd<12>;

            	ld.param.u64 	%rd1, [add_a];
            	ld.param.u64 	%rd2, [add_b];
            	ld.param.u64 	%rd3, [add_y];
            	ld.param.u64 	%rd4, [add_n];
            	cvta.to.global.u64 	%rd1, %rd1;
            	cvta.to.global.u64 	%rd2, %rd2;
            	cvta.to.global.u64 	%rd3, %rd3;
            	mov.u32 	%r1, %ctaid.x;
            	mov.u32 	%r2, %ntid.x;
            	mov.u32 	%r3, %tid.x;
            	mov.u32 	%r4, %nctaid.x;
            	mul.wide.u32 	%rd5, %r1, %r2;
            	cvt.u64.u32 	%rd6, %r3;
            	add.s64 	%rd5, %rd5, %rd6;
            	mul.wide.u32 	%rd7, %r4, %r2;
            	setp.ge.s64 	%p1, %rd5, %rd4;
            	@%p1 bra 	ADD_DONE;
            ADD_LOOP:
            	shl.b64 	%rd8, %rd5, 2;
            	add.s64 	%rd9, %rd1, %rd8;
            	ld.global.f32 	%f1, [%rd9];
            	add.s64 	%rd10, %rd2, %rd8;
            	ld.global.f32 	%f2, [%rd10];
            	add.f32 	%f3, %f1, %f2;
            	add.s64 	%rd11, %rd3, %rd8;
            	st.global.f32 	[%rd11], %f3;
            	add.s64 	%rd5, %rd5, %rd7;
            	setp.lt.s64 	%p2, %rd5, %rd4;
            	@%p2 bra 	ADD_LOOP;
            ADD_DONE:
            	ret;
            }

            // status = 1 where y[0] < 0: a stand-in for a kernel that meets an integer division by zero
            .visible .entry flag_negative(
            	.param .u64 flag_status,
            	.param .u64 flag_y,
            	.param .u64 flag_n
            )
            {
            	.reg .pred 	%p<3>;
            	.reg .b32 	%r<2>;
            	.reg .f32 	%f<2>;
            	.reg .b64 	%rd<4>;

            	ld.param.u64 	%rd1, [flag_status];
            	ld.param.u64 	%rd2, [flag_y];
            	ld.param.u64 	%rd3, [flag_n];
            	setp.lt.s64 	%p1, %rd3, 1;
            	@%p1 bra 	FLAG_DONE;
            	cvta.to.global.u64 	%rd1, %rd1;
            	cvta.to.global.u64 	%rd2, %rd2;
            	ld.global.f32 	%f1, [%rd2];
            	setp.lt.f32 	%p2, %f1, 0f00000000;
            	@!%p2 bra 	FLAG_DONE;
            	mov.u32 	%r1, 1;
            	st.global.u32 	[%rd1], %r1;
            FLAG_DONE:
            	ret;
            }
            """;

    /** The one test: one skip, with its reason on one line, where there is no GPU. */
    @Test
    void runsHandWrittenPtxThroughTheDriver() {
        var cuda = CudaAvailability.probe();
        Assumptions.assumeTrue(cuda.available(), () -> "no GPU to run on: " + cuda.summary());
        try (var driver = NativeCudaDriver.open(); var module = CudaModule.load(driver, "add", PTX)) {
            aResidentInputStaysOnTheDeviceAndTakesItsNewValue(module);
            aGridStrideLoopCoversMoreElementsThanTheGridHasThreads(module);
            aPtxErrorCarriesTheJitLog(driver);
        }
    }

    /**
     * y = a + b, then the negative check; results {@code sum} (y) and, where {@code a} is
     * resident, {@code a} (y again: a resident's new value held in another buffer).
     */
    private static GpuPlan plan(String aShape, boolean aGetsTheSum) {
        var results = new LinkedHashMap<String, Integer>();
        results.put("sum", 2);
        if (aGetsTheSum) results.put("a", 2);
        var inputs = new LinkedHashMap<String, Integer>();
        inputs.put("a", 0);
        inputs.put("b", 1);
        return new GpuPlan(new ProgramLayout("add_entry", List.of("N"), List.of(
                new ProgramLayout.Buffer(0, "a", DType.F32, List.of(aShape), true, -1),
                new ProgramLayout.Buffer(1, "b", DType.F32, List.of("N"), true, -1),
                new ProgramLayout.Buffer(2, "y", DType.F32, List.of("N"), false, 0)), inputs, results),
                List.of(new GpuPlan.Launch("add", GpuPlan.Mode.GRID, List.of(List.of(0), List.of(1), List.of(2))),
                        new GpuPlan.Launch("flag_negative", GpuPlan.Mode.SINGLE, List.of(List.of(2)))));
    }

    private static Tensor filled(int n, java.util.function.IntToDoubleFunction f) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) f.applyAsDouble(i);
        return Tensor.of(v, n);
    }

    private static void aResidentInputStaysOnTheDeviceAndTakesItsNewValue(CudaModule module) {
        int n = 1000;
        try (var runner = new CudaRunner(plan(Integer.toString(n), true), module, Set.of("a"))) {
            runner.put("a", filled(n, i -> i));
            runner.run(Map.of("b", filled(n, i -> 1)), Map.of("N", (long) n));
            var out = runner.results();
            assertEquals(Set.of("sum"), out.keySet());
            assertEquals(filled(n, i -> i + 1), out.get("sum"));
            runner.run(Map.of("b", filled(n, i -> 2)), Map.of("N", (long) n));
            assertEquals(filled(n, i -> i + 3), runner.get("a"));

            var e = assertThrows(ArithmeticException.class, () -> runner.run(Map.of("b", filled(n, i -> -100)), Map.of("N", (long) n)));
            assertEquals("add_entry: integer division by zero", e.getMessage());
            assertEquals(filled(n, i -> i + 3), runner.get("a"), "a failed run leaves the resident as it was");
            runner.run(Map.of("b", filled(n, i -> 0)), Map.of("N", (long) n));
            assertEquals(3.0, runner.scalar("sum"));
        }
    }

    private static void aGridStrideLoopCoversMoreElementsThanTheGridHasThreads(CudaModule module) {
        try (var runner = new CudaRunner(plan("N", false), module, Set.of())) {
            int n = runner.gridBlocks() * GpuPlan.THREADS_PER_BLOCK * 3 + 5;
            runner.run(Map.of("a", filled(n, i -> i), "b", filled(n, i -> 0.5)), Map.of("N", (long) n));
            var out = runner.results();
            assertEquals(filled(n, i -> i + 0.5), out.get("sum"));
            runner.run(Map.of("a", filled(7, i -> 1), "b", filled(7, i -> 1)), Map.of("N", 7L));
            out = runner.results();
            assertEquals(filled(7, i -> 2), out.get("sum"));
        }
    }

    private static void aPtxErrorCarriesTheJitLog(CudaDriver driver) {
        var e = assertThrows(CudaException.class, () -> CudaModule.load(driver, "broken", PTX.replace("add.f32", "add.f33")));
        assertTrue(e.getMessage().startsWith("cuModuleLoadDataEx(broken) failed: CUDA_ERROR_"), e.getMessage());
        assertTrue(e.getMessage().contains("\n"), "the JIT's error log follows: " + e.getMessage());
    }
}
