package dev.modelc.codegen.jvm;

import dev.modelc.check.DType;
import dev.modelc.codegen.testing.MatmulTile;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.Stmt;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.CompiledProgram;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The speed of JVM matmul kernels, printed, not asserted: the hand-built register tile ({@link
 * MatmulTile}, whose agreement {@code MatmulTileTest} checks) and the lowered, packed kernel.
 */
class MatmulSpeedTest {
    /** Prints GFLOP/s of the kernel alone (bound arrays, run()) and through JvmProgram.run (with copies in and out). */
    @Test
    void printsItsSpeed() throws Throwable {
        for (int[] s : new int[][] {{128, 784, 256}, {1024, 1024, 1024}}) {
            for (var schedule : Stmt.Schedule.values()) {
                int m = s[0], k = s[1], n = s[2];
                var p = MatmulTile.program(schedule);
                var kernel = instantiate(p);
                kernel.bind(new Object[] {MatmulTile.random(m * k, 1), MatmulTile.random(k * n, 2), new float[m * n]}, new int[] {m, k, n});
                double flops = 2.0 * m * n * k;
                double kernelRate = flops / seconds(kernel::run, flops) / 1e9;
                var compiled = JvmCompiler.compile(p);
                var inputs = Map.of("a", Tensor.of(MatmulTile.random(m * k, 1), m, k), "b", Tensor.of(MatmulTile.random(k * n, 2), k, n));
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
            System.arraycopy(MatmulTile.random(m * k, 1), 0, (float[]) arrays[p.inputs().get("a")], 0, m * k);
            System.arraycopy(MatmulTile.random(k * n, 2), 0, (float[]) arrays[p.inputs().get("b")], 0, k * n);
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
