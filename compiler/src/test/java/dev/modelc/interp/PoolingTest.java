package dev.modelc.interp;

import static dev.modelc.interp.Interp.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.graph.Op.*;
import dev.modelc.graph.TypeRules;
import dev.modelc.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolingTest {
    private static Tensor image(int h, int w, double... v) { return Tensor.of(v, 1, h, w, 1); }

    private static Tensor maxPool(Tensor x, Pool p) {
        return run(g -> ids -> g.emit(new MaxPool(p), ids, TypeRules.pool(g.type(ids.get(0)), p)), x);
    }

    private static Tensor avgPool(Tensor x, Pool p) {
        return run(g -> ids -> g.emit(new AvgPool(p), ids, TypeRules.pool(g.type(ids.get(0)), p)), x);
    }

    private static final Pool TWO = new Pool(2, 2, 2, 2, false), TWO_SAME = new Pool(2, 2, 2, 2, true);

    @Test
    void maxPoolValid() {
        Tensor x = image(4, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertArrayEquals(new double[] {6, 8, 14, 16}, maxPool(x, TWO).toDoubleArray());
        // odd sizes round down: 5x5 gives 2x2, the last row and column unused
        Tensor y = maxPool(Tensor.of(new double[25], 1, 5, 5, 1), TWO);
        assertArrayEquals(new long[] {1, 2, 2, 1}, y.shape());
    }

    @Test
    void maxPoolNeverChoosesPadding() {
        Tensor x = image(3, 3, -1, -2, -3, -4, -5, -6, -7, -8, -9);
        assertArrayEquals(new double[] {-1, -3, -7, -9}, maxPool(x, TWO_SAME).toDoubleArray());
    }

    @Test
    void maxPoolPropagatesNaN() {
        Tensor x = image(1, 4, 1, Double.NaN, 3, 2);
        double[] y = maxPool(x, new Pool(1, 2, 1, 2, false)).toDoubleArray();
        assertTrue(Double.isNaN(y[0]));
        assertEquals(3, y[1]);
    }

    @Test
    void avgPoolDividesByTheRealElements() {
        Tensor x = image(3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertArrayEquals(new double[] {3, 4.5, 7.5, 9}, avgPool(x, TWO_SAME).toDoubleArray());
        assertArrayEquals(new double[] {3}, avgPool(x, TWO).toDoubleArray());
        assertArrayEquals(new float[] {4f, 5f}, avgPool(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2), new Pool(2, 2, 2, 2, false)).toFloatArray());
    }

    @Test
    void avgPoolGradSpreadsEvenlyOverRealElements() {
        var p = TWO_SAME;
        Tensor dy = image(2, 2, 4, 2, 2, 1);
        Tensor dx = run(g -> ids -> g.emit(new AvgPoolGrad(p), ids, new dev.modelc.graph.TensorType(dev.modelc.check.DType.F64, shape(1, 3, 3, 1))), dy);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, dx.toDoubleArray());
    }

    @Test
    void maxPoolGradGoesToTheFirstMaximumAndOverlapsAccumulate() {
        Tensor x = image(2, 2, 5, 5, 5, 5);
        Tensor dy = image(1, 1, 7);
        Tensor dx = run(g -> ids -> g.emit(new MaxPoolGrad(TWO), ids, g.type(ids.get(0))), x, dy);
        assertArrayEquals(new double[] {7, 0, 0, 0}, dx.toDoubleArray());
        // windows [1, 3] and [3, 2] overlap on the 3, which is both maxima
        var overlap = new Pool(1, 2, 1, 1, false);
        Tensor row = image(1, 3, 1, 3, 2);
        dx = run(g -> ids -> g.emit(new MaxPoolGrad(overlap), ids, g.type(ids.get(0))), row, image(1, 2, 10, 20));
        assertArrayEquals(new double[] {0, 30, 0}, dx.toDoubleArray());
        Tensor sel = run(g -> ids -> g.emit(new MaxPoolSelect(overlap), ids, TypeRules.pool(g.type(ids.get(0)), overlap)), row, image(1, 3, 100, 200, 300));
        assertArrayEquals(new double[] {200, 200}, sel.toDoubleArray());
    }

    @Test
    void maxPoolSelectTakesGAtTheChosenPositions() {
        Tensor x = image(2, 4, 1, 9, 3, 3, 9, 1, 3, 4);
        Tensor g = image(2, 4, 10, 20, 30, 40, 50, 60, 70, 80);
        Tensor y = run(b -> ids -> b.emit(new MaxPoolSelect(TWO), ids, TypeRules.pool(b.type(ids.get(0)), TWO)), x, g);
        assertArrayEquals(new double[] {20, 80}, y.toDoubleArray());
    }

    @Test
    void channelsPoolSeparately() {
        Tensor x = Tensor.of(new double[] {1, -1, 2, -2, 3, -3, 4, -4}, 1, 2, 2, 2);
        assertArrayEquals(new double[] {4, -1}, maxPool(x, TWO).toDoubleArray());
        assertEquals(List.of(1L, 1L, 1L, 2L), java.util.Arrays.stream(maxPool(x, TWO).shape()).boxed().toList());
    }
}
