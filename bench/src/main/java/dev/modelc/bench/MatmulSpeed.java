package dev.modelc.bench;

import static dev.modelc.loops.LoopIr.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.codegen.llvm.LlvmCompiler;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.TensorType;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.Stmt;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.ResidentRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The speed of the matmul kernel the compiler emits, on the LLVM and JVM backends, beside the
 * machine's measured FMA peak: a tight loop of independent vector FMAs on every thread, itself
 * compiled by the LLVM backend. Prints GFLOP/s (medians of timed batches) and the fraction of
 * the peak. {@code bench/matmul.sh} runs it beside NumPy's OpenBLAS sgemm.
 *
 * <p>Usage: {@code MatmulSpeed [M K N]...} (default: 1024 1024 1024 and 128 784 256).
 */
public final class MatmulSpeed {
    private MatmulSpeed() {}

    /** Independent accumulators per thread: enough to cover the FMA latency on two FMA pipes. */
    private static final int CHAINS = 12;
    private static final int LANES = 8;
    private static final long PEAK_ITERATIONS = 20_000_000;

    public static void main(String[] args) {
        List<int[]> sizes = new ArrayList<>();
        for (int i = 0; i + 2 < args.length; i += 3) sizes.add(new int[] {Integer.parseInt(args[i]), Integer.parseInt(args[i + 1]), Integer.parseInt(args[i + 2])});
        if (sizes.isEmpty()) sizes = List.of(new int[] {1024, 1024, 1024}, new int[] {128, 784, 256});
        int threads = Integer.getInteger("modelc.threads", Runtime.getRuntime().availableProcessors());
        double peak = fmaPeak(threads);
        System.out.printf("fma peak (llvm, %d threads, <%d x f32> fma chains): %.1f GFLOP/s%n", threads, LANES, peak);
        for (int[] s : sizes) {
            var backends = List.of("llvm", "jvm");
            var runners = backends.stream().map(backend -> matmul(backend, s[0], s[1], s[2])).toList();
            double flops = 2.0 * s[0] * s[1] * s[2];
            // Two alternating rounds, only the second reported: the first timing after another
            // backend's otherwise under-measures, while C2 still compiles on one of the cores.
            double[] rates = new double[backends.size()];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < runners.size(); i++) {
                    ResidentRunner runner = runners.get(i);
                    rates[i] = flops / medianSeconds(() -> runner.run(Map.of(), Map.of()), flops) / 1e9;
                }
            }
            for (int i = 0; i < backends.size(); i++) {
                System.out.printf("matmul %dx%dx%d %s: %.1f GFLOP/s (%.0f%% of peak)%n", s[0], s[1], s[2], backends.get(i), rates[i], 100 * rates[i] / peak);
            }
        }
    }

    /** A runner of {@code a @ b} as the compiler lowers it, with the operands resident (no copies timed). */
    static ResidentRunner matmul(String backend, int m, int k, int n) {
        var b = new GraphBuilder();
        int a = b.input(Op.Role.INPUT, "a", TensorType.of(DType.F32, DimExpr.constant(m), DimExpr.constant(k)));
        int w = b.input(Op.Role.INPUT, "b", TensorType.of(DType.F32, DimExpr.constant(k), DimExpr.constant(n)));
        Graph g = b.build("mm", List.of(new Graph.Result("c", b.matmul(a, w))));
        LoopProgram p = LoopLowering.lower(Fusion.fuse(g));
        ResidentRunner runner = backend.equals("llvm") ? LlvmCompiler.compile(p).resident(List.of("a", "b"))
                : JvmCompiler.compile(p).resident(List.of("a", "b"));
        runner.put("a", Tensor.of(random(m * k, 1), m, k));
        runner.put("b", Tensor.of(random(k * n, 2), k, n));
        return runner;
    }

    /** GFLOP/s of CHAINS independent vector FMA chains per thread, one parallel iteration per thread. */
    static double fmaPeak(int threads) {
        LType v = vec(DType.F32, LANES);
        var body = new ArrayList<Stmt>();
        for (int c = 0; c < CHAINS; c++) body.add(declare("acc" + c, v, splat(cast(v("t"), LType.scalar(DType.F32)), LANES)));
        var step = new ArrayList<Stmt>();
        for (int c = 0; c < CHAINS; c++) step.add(assign("acc" + c, fma(v("acc" + c, v), splat(f32(0.99999994), LANES), splat(f32(1e-7), LANES))));
        body.add(loop("i", idx(0), idx(PEAK_ITERATIONS), step.toArray(new Stmt[0])));
        var sum = v("acc0", v);
        for (int c = 1; c < CHAINS; c++) sum = add(sum, v("acc" + c, v));
        body.add(store(0, mul(v("t"), idx(LANES)), sum));
        var out = new LoopProgram.Buffer(0, "out", DType.F32, List.of(DimExpr.constant((long) threads * LANES)), LoopProgram.Kind.TEMP, 0);
        var kernel = new LoopProgram.Kernel("k0_peak", block(parallel("t", idx(0), idx(threads), body.toArray(new Stmt[0]))), List.of(), List.of(0));
        var p = new LoopProgram("peak", List.of(), List.of(out), List.of(kernel), Map.of(), Map.of("out", 0));
        var program = LlvmCompiler.compile(p);
        double flops = 2.0 * LANES * CHAINS * PEAK_ITERATIONS * threads;
        return flops / medianSeconds(() -> program.run(Map.of(), Map.of()), flops) / 1e9;
    }

    /** Seconds per call: the median of 7 timed batches of about 2 GFLOP each, after at least a second of warm-up. */
    static double medianSeconds(Runnable work, double flops) {
        int batch = (int) Math.max(1, 2e9 / flops);
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        for (int rep = 0; rep < 3 || System.nanoTime() < warmUntil; rep++) {
            for (int i = 0; i < batch; i++) work.run();
        }
        double[] times = new double[7];
        for (int rep = 0; rep < times.length; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) work.run();
            times[rep] = (System.nanoTime() - t0) / 1e9 / batch;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    static float[] random(int n, long seed) {
        var r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = r.nextFloat() - 0.5f;
        return out;
    }
}
