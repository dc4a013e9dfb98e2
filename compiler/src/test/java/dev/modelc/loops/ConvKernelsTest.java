package dev.modelc.loops;

import static dev.modelc.loops.F32Agreement.B;
import static dev.modelc.loops.F32Agreement.f32;

import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.Op.Window;
import dev.modelc.graph.TypeRules;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The f32 vector convolution kernels ({@link ConvKernels}, {@link ConvGradKernels}) against the
 * interpreter ({@link F32Agreement}): conv2d and both gradients over strides 1 and 2, dilations
 * 1 and 2, same and valid padding, and channel counts that hit every part of the kernels (1, 3: scalar channels only; 8, 20: one vector, vectors and
 * a scalar tail; 32, 64: the full register tiles), with widths that give blocked interior pixels
 * (in full blocks and a narrower last block) as well as edge pixels, and kernel gradients with
 * fewer than 4 input channels, whose tiles are taps of a kernel row. The batch is a dimension variable, as in models.
 */
class ConvKernelsTest {
    record Config(long h, long w, long kh, long kw, long c, long o, Window window) {
        @Override
        public String toString() {
            return "x[B," + h + "," + w + "," + c + "] k[" + kh + "," + kw + "," + c + "," + o + "] stride " + window.strideH() + "x"
                    + window.strideW() + " dilation " + window.dilationH() + "x" + window.dilationW() + (window.same() ? " same" : " valid");
        }
    }

    static List<Config> configs() {
        var valid11 = new Window(1, 1, 1, 1, false);
        var same11 = new Window(1, 1, 1, 1, true);
        var same22 = new Window(2, 2, 1, 1, true);
        var valid21 = new Window(2, 1, 1, 1, false);
        var dilatedSame = new Window(1, 1, 2, 2, true);
        var dilatedStrided = new Window(2, 2, 2, 1, false);
        return List.of(
                new Config(9, 10, 3, 3, 1, 32, valid11),
                new Config(8, 9, 3, 3, 3, 8, same11),
                new Config(7, 11, 3, 2, 8, 20, same22),
                new Config(9, 9, 2, 3, 20, 3, valid21),
                new Config(7, 12, 3, 3, 32, 64, dilatedSame),
                new Config(9, 10, 3, 2, 64, 1, dilatedStrided),
                new Config(6, 13, 3, 3, 3, 64, same11),
                new Config(5, 9, 1, 1, 20, 20, valid11),
                new Config(6, 8, 3, 3, 64, 32, same22),
                new Config(4, 5, 3, 3, 8, 8, same11),
                // fewer than 4 input channels and no clipping along the width: the kernel gradient's tiles of taps
                new Config(8, 11, 3, 3, 3, 28, valid11),
                new Config(9, 12, 2, 3, 2, 16, new Window(2, 2, 1, 2, false)),
                new Config(7, 9, 3, 1, 2, 40, same11));
    }

    @ParameterizedTest(name = "conv2d {0}")
    @MethodSource("configs")
    void conv2d(Config c) {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "x", f32(B, c.h(), c.w(), c.c()));
        int k = b.input(Role.INPUT, "k", f32(null, c.kh(), c.kw(), c.c(), c.o()));
        int y = b.emit(new Op.Conv2D(c.window()), List.of(x, k), TypeRules.conv(b.type(x), b.type(k), c.window()));
        check(b, y, c, x, k);
    }

    @ParameterizedTest(name = "conv2d_input_grad {0}")
    @MethodSource("configs")
    void inputGrad(Config c) {
        var b = new GraphBuilder();
        var xType = f32(B, c.h(), c.w(), c.c());
        var yType = TypeRules.conv(xType, f32(null, c.kh(), c.kw(), c.c(), c.o()), c.window());
        int dy = b.input(Role.INPUT, "dy", yType);
        int k = b.input(Role.INPUT, "k", f32(null, c.kh(), c.kw(), c.c(), c.o()));
        check(b, b.emit(new Op.Conv2DInputGrad(c.window()), List.of(dy, k), xType), c, dy, k);
    }

    @ParameterizedTest(name = "conv2d_kernel_grad {0}")
    @MethodSource("configs")
    void kernelGrad(Config c) {
        var b = new GraphBuilder();
        var xType = f32(B, c.h(), c.w(), c.c());
        var kType = f32(null, c.kh(), c.kw(), c.c(), c.o());
        int x = b.input(Role.INPUT, "x", xType);
        int dy = b.input(Role.INPUT, "dy", TypeRules.conv(xType, kType, c.window()));
        check(b, b.emit(new Op.Conv2DKernelGrad(c.window()), List.of(x, dy), kType), c, x, dy);
    }

    private static final ToDoubleFunction<Random> ANY = r -> r.nextDouble() * 4 - 2;

    /**
     * Sums of up to 9 x 64 products of values in [-2, 2) summed in f32: where they cancel to
     * near 0, rounding leaves errors of about sqrt(n) * 2^-24 * |partial sums|, up to ~5e-5. A
     * misplaced index or tap gives errors of order 1.
     */
    private static final double ABS_TOL = 1e-4;

    private static void check(GraphBuilder b, int result, Config c, int... inputs) {
        F32Agreement.check(b, result, c.toString(), ANY, ABS_TOL, inputs);
    }
}
