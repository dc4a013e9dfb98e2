package dev.modelc.codegen.jvm;

import static dev.modelc.codegen.jvm.Programs.*;
import static dev.modelc.loops.LoopIr.*;

import dev.modelc.check.DType;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.Stmt;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.CompiledProgram;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Loop IR of a register-blocked f32 matmul C[M, N] = A[M, K] @ B[K, N], as a lowering would
 * write it: per 4 x 16 block of C, eight 8-lane accumulators; over k, A[i, k] splat and two
 * vector loads of B's row k; scalar loops for the rows past M / 4 * 4 and the columns past
 * N / 16 * 16. Checked against the evaluator; its speed is printed, not asserted.
 */
class MatmulKernelTest {
    private static final LType V8 = vec(DType.F32, 8), F32 = scalar(DType.F32), IDX = LType.INDEX;
    private static final int ROWS = 4, HALVES = 2, LANES = 8;

    static LoopProgram matmul(Stmt.Schedule rows) {
        var stmts = new ArrayList<Stmt>();
        stmts.add(declare("mFull", IDX, mul(div(dim("M"), idx(ROWS)), idx(ROWS))));
        stmts.add(declare("nFull", IDX, mul(div(dim("N"), idx(ROWS * ROWS)), idx(ROWS * ROWS))));
        var block = new ArrayList<Stmt>();
        for (int r = 0; r < ROWS; r++) for (int h = 0; h < HALVES; h++) block.add(declare(acc(r, h), V8, splat(f32(0), LANES)));
        var kBody = new ArrayList<Stmt>();
        for (int h = 0; h < HALVES; h++) kBody.add(declare("b" + h, V8, load(1, add(add(mul(v("k"), dim("N")), v("j0")), idx(h * LANES)), V8)));
        for (int r = 0; r < ROWS; r++) {
            kBody.add(declare("a" + r, V8, splat(load(0, add(mul(add(v("i0"), idx(r)), dim("K")), v("k")), DType.F32), LANES)));
            for (int h = 0; h < HALVES; h++) kBody.add(assign(acc(r, h), fma(v("a" + r, V8), v("b" + h, V8), v(acc(r, h), V8))));
        }
        block.add(loop("k", idx(0), dim("K"), kBody.toArray(Stmt[]::new)));
        for (int r = 0; r < ROWS; r++) {
            for (int h = 0; h < HALVES; h++) block.add(store(2, add(add(mul(add(v("i0"), idx(r)), dim("N")), v("j0")), idx(h * LANES)), v(acc(r, h), V8)));
        }
        Stmt columns = loop("j0", idx(0), v("nFull", IDX), ROWS * ROWS, block.toArray(Stmt[]::new));
        var columnTail = new ArrayList<Stmt>();
        for (int r = 0; r < ROWS; r++) columnTail.add(dot(add(v("i0"), idx(r)), v("j")));
        Stmt tail = loop("j", v("nFull", IDX), dim("N"), columnTail.toArray(Stmt[]::new));
        stmts.add(new Stmt.Loop("i0", idx(0), v("mFull", IDX), ROWS, rows, block(columns, tail)));
        stmts.add(loop("i", v("mFull", IDX), dim("M"), loop("j", idx(0), dim("N"), dot(v("i"), v("j")))));
        var m = dimVar("M");
        var k = dimVar("K");
        var n = dimVar("N");
        return program(List.of("M", "K", "N"), List.of(input(0, "a", DType.F32, m, k), input(1, "b", DType.F32, k, n), temp(2, "c", DType.F32, m, n)),
                stmts.toArray(Stmt[]::new));
    }

    private static String acc(int r, int h) { return "c" + r + h; }

    /** C[i, j] = sum over k of A[i, k] * B[k, j], one scalar fma at a time. */
    private static Stmt dot(Expr i, Expr j) {
        return block(declare("s", F32, f32(0)),
                loop("k", idx(0), dim("K"), assign("s", fma(load(0, add(mul(i, dim("K")), v("k")), DType.F32),
                        load(1, add(mul(v("k"), dim("N")), j), DType.F32), v("s", F32)))),
                store(2, add(mul(i, dim("N")), j), v("s", F32)));
    }

    private static float[] random(int n, long seed) {
        var r = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    @Test
    void agreesWithTheEvaluatorWithAndWithoutTails() {
        for (var schedule : Stmt.Schedule.values()) {
            for (int[] s : new int[][] {{8, 5, 32}, {11, 13, 37}, {3, 4, 15}}) {
                int m = s[0], k = s[1], n = s[2];
                Agreement.assertAgrees(matmul(schedule), Map.of("a", Tensor.of(random(m * k, 1), m, k), "b", Tensor.of(random(k * n, 2), k, n)),
                        Map.of("M", (long) m, "K", (long) k, "N", (long) n));
            }
        }
    }

    /** Prints GFLOP/s of the kernel alone (bound arrays, run()) and through JvmProgram.run (with copies in and out). */
    @Test
    void printsItsSpeed() throws Throwable {
        for (int[] s : new int[][] {{128, 784, 256}, {1024, 1024, 1024}}) {
            for (var schedule : Stmt.Schedule.values()) {
                int m = s[0], k = s[1], n = s[2];
                var p = matmul(schedule);
                var kernel = instantiate(p);
                kernel.bind(new Object[] {random(m * k, 1), random(k * n, 2), new float[m * n]}, new int[] {m, k, n});
                double flops = 2.0 * m * n * k;
                double kernelRate = flops / seconds(kernel::run, flops) / 1e9;
                var compiled = JvmCompiler.compile(p);
                var inputs = Map.of("a", Tensor.of(random(m * k, 1), m, k), "b", Tensor.of(random(k * n, 2), k, n));
                var dims = Map.of("M", (long) m, "K", (long) k, "N", (long) n);
                double runRate = flops / seconds(() -> compiled.run(inputs, dims), flops) / 1e9;
                System.out.printf("matmul %dx%dx%d %s: %.1f GFLOP/s kernel, %.1f GFLOP/s through JvmProgram.run%n", m, k, n,
                        schedule == Stmt.Schedule.PARALLEL ? "parallel rows (" + Runtime.getRuntime().availableProcessors() + " cores)" : "one thread",
                        kernelRate, runRate);
            }
        }
    }

    /**
     * Prints GFLOP/s of the kernel the compiler actually emits for {@code a @ b} (packed, blocked;
     * docs/backends.md section 4), on the threads of {@code -Dmodelc.threads} (default: all cores).
     */
    @Test
    void printsTheLoweredKernelsSpeed() throws Throwable {
        for (int[] s : new int[][] {{128, 784, 256}, {1024, 1024, 1024}}) {
            int m = s[0], k = s[1], n = s[2];
            var b = new dev.modelc.graph.GraphBuilder();
            int a = b.input(dev.modelc.graph.Op.Role.INPUT, "a", dev.modelc.graph.TensorType.of(DType.F32,
                    dev.modelc.check.DimExpr.constant(m), dev.modelc.check.DimExpr.constant(k)));
            int w = b.input(dev.modelc.graph.Op.Role.INPUT, "b", dev.modelc.graph.TensorType.of(DType.F32,
                    dev.modelc.check.DimExpr.constant(k), dev.modelc.check.DimExpr.constant(n)));
            var g = b.build("mm", List.of(new dev.modelc.graph.Graph.Result("c", b.matmul(a, w))));
            var p = dev.modelc.loops.LoopLowering.lower(dev.modelc.fuse.Fusion.fuse(g));
            var kernel = instantiate(p);
            var arrays = dev.modelc.runtime.jvm.ProgramStorage.allocate(JvmCompiler.layout(p), new int[0], false).arrays();
            System.arraycopy(random(m * k, 1), 0, (float[]) arrays[p.inputs().get("a")], 0, m * k);
            System.arraycopy(random(k * n, 2), 0, (float[]) arrays[p.inputs().get("b")], 0, k * n);
            kernel.bind(arrays, new int[0]);
            double flops = 2.0 * m * n * k;
            System.out.printf("lowered matmul %dx%dx%d on %d thread(s): %.1f GFLOP/s%n", m, k, n,
                    Integer.getInteger("modelc.threads", Runtime.getRuntime().availableProcessors()), flops / seconds(kernel::run, flops) / 1e9);
        }
    }

    /** A fresh instance of the generated class, defined as JvmCompiler does (this test shares its package). */
    private static CompiledProgram instantiate(LoopProgram p) throws Throwable {
        var hidden = MethodHandles.lookup().defineHiddenClass(JvmCompiler.classBytes(p), true);
        return (CompiledProgram) hidden.findConstructor(hidden.lookupClass(), java.lang.invoke.MethodType.methodType(void.class)).invoke();
    }

    /** Seconds per call of {@code work}: the best of 4 timed batches of 1 GFLOP after 8 batches of warm-up. */
    private static double seconds(Runnable work, double flops) {
        int batch = (int) Math.max(1, 1e9 / flops);
        for (int i = 0; i < 8 * batch; i++) work.run();
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) work.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / batch);
        }
        return best;
    }
}
