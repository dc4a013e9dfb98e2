package dev.modelc.interp;

import static dev.modelc.interp.Interp.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.graph.Op.Conv2D;
import dev.modelc.graph.Op.Window;
import dev.modelc.graph.TypeRules;
import dev.modelc.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvolutionTest {
    private static Tensor conv(Tensor x, Tensor k, Window w) {
        return run(g -> ids -> g.emit(new Conv2D(w), ids, TypeRules.conv(g.type(ids.get(0)), g.type(ids.get(1)), w)), x, k);
    }

    private static Tensor image(int h, int w, double... v) { return Tensor.of(v, 1, h, w, 1); }

    private static final Window VALID = new Window(1, 1, 1, 1, false), SAME = new Window(1, 1, 1, 1, true);

    @Test
    void validWithOneChannel() {
        Tensor x = image(3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor k = Tensor.of(new double[] {1, 0, 0, -1}, 2, 2, 1, 1);
        Tensor y = conv(x, k, VALID);
        assertArrayEquals(new long[] {1, 2, 2, 1}, y.shape());
        assertArrayEquals(new double[] {-4, -4, -4, -4}, y.toDoubleArray()); // x[i,j] - x[i+1,j+1]
    }

    @Test
    void samePaddingSumsTheNeighbourhood() {
        Tensor x = image(3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor ones = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 3, 3, 1, 1);
        assertArrayEquals(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, conv(x, ones, SAME).toDoubleArray());
    }

    @Test
    void sameWithStridePutsTheOddPaddingAfter() {
        // in 3, stride 2: out 2, padding max((2-1)*2 + 2 - 3, 0) = 1 in all, none before
        Tensor x = image(3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor ones = Tensor.of(new double[] {1, 1, 1, 1}, 2, 2, 1, 1);
        assertArrayEquals(new double[] {12, 9, 15, 9}, conv(x, ones, new Window(2, 2, 1, 1, true)).toDoubleArray());
        // in 4, kernel 3, stride 1: padding 2, one before and one after
        Tensor row = image(1, 4, 1, 2, 3, 4);
        Tensor k = Tensor.of(new double[] {100, 10, 1}, 1, 3, 1, 1);
        assertArrayEquals(new double[] {12, 123, 234, 340}, conv(row, k, SAME).toDoubleArray());
    }

    @Test
    void dilationSpreadsTheTaps() {
        Tensor x = image(1, 5, 1, 2, 3, 4, 5);
        Tensor k = Tensor.of(new double[] {1, 10}, 1, 2, 1, 1);
        assertArrayEquals(new double[] {31, 42, 53}, conv(x, k, new Window(1, 1, 1, 2, false)).toDoubleArray());
    }

    @Test
    void channelsMixThroughTheKernel() {
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 1, 1, 2);
        Tensor k = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
        assertArrayEquals(new float[] {9, 12, 15}, conv(x, k, VALID).toFloatArray());
    }

    /** The textbook definition: pad x explicitly with TensorFlow's rule, then slide. */
    private static double[] naive(double[] x, int b, int h, int w, int c, double[] k, int kh, int kw, int o, Window win, int oh, int ow) {
        int padTop = win.same() ? Math.max((oh - 1) * (int) win.strideH() + (kh - 1) * (int) win.dilationH() + 1 - h, 0) / 2 : 0;
        int padLeft = win.same() ? Math.max((ow - 1) * (int) win.strideW() + (kw - 1) * (int) win.dilationW() + 1 - w, 0) / 2 : 0;
        int ph = h + 2 * kh * (int) win.dilationH() + 2 * (int) win.strideH() * oh, pw = w + 2 * kw * (int) win.dilationW() + 2 * (int) win.strideW() * ow;
        double[] padded = new double[b * ph * pw * c];
        for (int n = 0; n < b; n++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    for (int ch = 0; ch < c; ch++) padded[((n * ph + i + padTop) * pw + j + padLeft) * c + ch] = x[((n * h + i) * w + j) * c + ch];
        double[] y = new double[b * oh * ow * o];
        for (int n = 0; n < b; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int q = 0; q < o; q++) {
                        double s = 0;
                        for (int a = 0; a < kh; a++)
                            for (int e = 0; e < kw; e++)
                                for (int ch = 0; ch < c; ch++) {
                                    int pi = i * (int) win.strideH() + a * (int) win.dilationH(), pj = j * (int) win.strideW() + e * (int) win.dilationW();
                                    s += padded[((n * ph + pi) * pw + pj) * c + ch] * k[((a * kw + e) * c + ch) * o + q];
                                }
                        y[((n * oh + i) * ow + j) * o + q] = s;
                    }
        return y;
    }

    @Test
    void agreesWithTheNaiveDefinitionOnRandomCases() {
        var rnd = new Random(11);
        for (int t = 0; t < 150; t++) {
            int b = 1 + rnd.nextInt(2), h = 1 + rnd.nextInt(7), w = 1 + rnd.nextInt(7), c = 1 + rnd.nextInt(3), o = 1 + rnd.nextInt(3);
            int kh = 1 + rnd.nextInt(3), kw = 1 + rnd.nextInt(3);
            var win = new Window(1 + rnd.nextInt(3), 1 + rnd.nextInt(3), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), rnd.nextBoolean());
            int oh = win.same() ? Math.ceilDiv(h, (int) win.strideH()) : Math.floorDiv(h - (kh - 1) * (int) win.dilationH() - 1, (int) win.strideH()) + 1;
            int ow = win.same() ? Math.ceilDiv(w, (int) win.strideW()) : Math.floorDiv(w - (kw - 1) * (int) win.dilationW() - 1, (int) win.strideW()) + 1;
            if (oh < 0 || ow < 0) continue;
            double[] x = rnd.doubles(b * h * w * c, -1, 1).toArray(), k = rnd.doubles(kh * kw * c * o, -1, 1).toArray();
            double[] y = conv(Tensor.of(x, b, h, w, c), Tensor.of(k, kh, kw, c, o), win).toDoubleArray();
            assertArrayEquals(naive(x, b, h, w, c, k, kh, kw, o, win, oh, ow), y, 1e-12, win + " x " + b + "x" + h + "x" + w + "x" + c + " k " + kh + "x" + kw);
        }
    }
}
