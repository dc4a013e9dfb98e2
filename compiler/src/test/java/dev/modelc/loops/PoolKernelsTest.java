package dev.modelc.loops;

import static dev.modelc.loops.F32Agreement.B;
import static dev.modelc.loops.F32Agreement.f32;

import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Pool;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TypeRules;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The f32 vector max-pool kernels ({@link PoolKernels}) against the interpreter
 * ({@link F32Agreement}): maxpool, maxpool_select and maxpool_grad with disjoint and overlapping
 * windows, same and valid padding, and channel counts with and without a scalar tail. Values
 * come from a small set with NaNs, so windows have ties (the first maximum must win) and NaNs
 * (the first NaN must win).
 */
class PoolKernelsTest {
    record Config(long h, long w, long c, Pool pool) {
        @Override
        public String toString() {
            return "x[B," + h + "," + w + "," + c + "] window " + pool.sizeH() + "x" + pool.sizeW() + " stride " + pool.strideH() + "x"
                    + pool.strideW() + (pool.same() ? " same" : " valid");
        }
    }

    static List<Config> configs() {
        return List.of(
                new Config(6, 7, 8, new Pool(2, 2, 2, 2, false)),
                new Config(7, 5, 3, new Pool(2, 2, 2, 2, true)),
                new Config(7, 8, 20, new Pool(3, 3, 2, 2, true)),
                new Config(5, 6, 32, new Pool(2, 3, 1, 2, false)),
                new Config(5, 5, 1, new Pool(3, 2, 1, 1, true)),
                new Config(6, 6, 9, new Pool(3, 3, 3, 3, false)),
                // windows that tile the image: the gradient stores without a zeroing pass
                new Config(8, 6, 12, new Pool(2, 2, 2, 2, false)));
    }

    /** Max pooling picks elements; only overlapping gradients add, exactly here (small integers). */
    private static final double EXACT = 0;

    /** Few distinct values, and a NaN now and then. */
    private static final ToDoubleFunction<Random> TIES = r -> r.nextInt(20) == 0 ? Double.NaN : r.nextInt(5) - 2;

    @ParameterizedTest(name = "maxpool {0}")
    @MethodSource("configs")
    void maxPool(Config c) {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(B, c.h(), c.w(), c.c()));
        F32Agreement.check(b, b.emit(new Op.MaxPool(c.pool()), List.of(x), TypeRules.pool(b.type(x), c.pool())), c.toString(), TIES, EXACT, x);
    }

    @ParameterizedTest(name = "maxpool_select {0}")
    @MethodSource("configs")
    void maxPoolSelect(Config c) {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(B, c.h(), c.w(), c.c()));
        int g = b.input(Role.INPUT, "g", f32(B, c.h(), c.w(), c.c()));
        F32Agreement.check(b, b.emit(new Op.MaxPoolSelect(c.pool()), List.of(x, g), TypeRules.pool(b.type(x), c.pool())), c.toString(), TIES, EXACT, x, g);
    }

    @ParameterizedTest(name = "maxpool_grad {0}")
    @MethodSource("configs")
    void maxPoolGrad(Config c) {
        var b = new GraphBuilder();
        var xType = f32(B, c.h(), c.w(), c.c());
        int x = b.input(Role.INPUT, "x", xType);
        int dy = b.input(Role.INPUT, "dy", TypeRules.pool(xType, c.pool()));
        F32Agreement.check(b, b.emit(new Op.MaxPoolGrad(c.pool()), List.of(x, dy), xType), c.toString(), TIES, EXACT, x, dy);
    }
}
