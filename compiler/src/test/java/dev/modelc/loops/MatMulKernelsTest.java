package dev.modelc.loops;

import static dev.modelc.loops.F32Agreement.B;
import static dev.modelc.loops.F32Agreement.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The f32 matmul tiles in both loop orders against the interpreter: blocks of rows outermost
 * (B fits in cache, or is deeper than wide) and strips of columns outermost (B larger than
 * {@link MatMulKernels#LARGE_B} elements and wider than deep), each with full row tiles, leftover rows and leftover columns.
 */
class MatMulKernelsTest {
    private static final ToDoubleFunction<Random> ANY = r -> r.nextDouble() * 4 - 2;

    @Test
    void rowBlocksOuter() {
        check(f32(null, 6, 40), f32(null, 40, 50), false);
        check(f32(B, 40), f32(null, 40, 50), false);
        check(f32(null, 6, 300), f32(null, 300, 250), false); // large but deeper than wide
    }

    @Test
    void columnStripsOuterForALargeWideB() {
        check(f32(null, 6, 250), f32(null, 250, 300), true);
        check(f32(B, 200), f32(null, 200, 336), true);
    }

    private static void check(TensorType a, TensorType bType, boolean columnsOuter) {
        var b = new GraphBuilder();
        int x = b.input(Role.INPUT, "a", a);
        int w = b.input(Role.INPUT, "b", bType);
        var shape = new java.util.ArrayList<>(a.shape().subList(0, a.shape().size() - 1));
        shape.add(bType.shape().get(1));
        int y = b.emit(new Op.MatMul(), List.of(x, w), new TensorType(a.dtype(), shape));
        Graph g = b.build("op", List.of(new Graph.Result("y", y)));
        String loops = LoopPrinter.print(LoopLowering.lower(Fusion.fuse(g)));
        assertEquals(columnsOuter, loops.lines().anyMatch(l -> l.trim().startsWith("parallel for j")), loops);
        // sums of up to 300 products of values in [-2, 2) in f32
        F32Agreement.check(b, y, a + " @ " + bType, ANY, 2e-3, x, w);
    }
}
