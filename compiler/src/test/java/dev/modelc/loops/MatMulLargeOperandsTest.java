package dev.modelc.loops;

import static dev.modelc.loops.F32Agreement.B;
import static dev.modelc.loops.F32Agreement.f32;

import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * f32 matmuls whose B is small, larger than half an L2 and deeper than wide, or larger and wider
 * than deep, against the interpreter, each with full row tiles, leftover rows and leftover columns.
 */
class MatMulLargeOperandsTest {
    private static final ToDoubleFunction<Random> ANY = r -> r.nextDouble() * 4 - 2;

    @Test
    void smallOrDeepB() {
        check(f32(null, 6, 40), f32(null, 40, 50));
        check(f32(B, 40), f32(null, 40, 50));
        check(f32(null, 6, 300), f32(null, 300, 250)); // large but deeper than wide
    }

    @Test
    void largeWideB() {
        check(f32(null, 6, 250), f32(null, 250, 300));
        check(f32(B, 200), f32(null, 200, 336));
    }

    private static void check(TensorType a, TensorType bType) {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "a", a);
        int w = b.input(Role.INPUT, "b", bType);
        var shape = new java.util.ArrayList<>(a.shape().subList(0, a.shape().size() - 1));
        shape.add(bType.shape().get(1));
        int y = b.emit(new Op.MatMul(), List.of(x, w), new TensorType(a.dtype(), shape));
        // sums of up to 300 products of values in [-2, 2) in f32
        F32Agreement.check(b, y, a + " @ " + bType, ANY, 2e-3, x, w);
    }
}
