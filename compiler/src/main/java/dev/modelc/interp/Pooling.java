package dev.modelc.interp;

import dev.modelc.graph.Op.Pool;
import dev.modelc.interp.Value.Floats;

/**
 * Max and average pooling on NHWC data, per channel, and their gradients. Padded positions take
 * no part: max pooling never chooses one, average pooling divides by the number of real
 * positions in each window. The max-pool family shares one rule for which element a window
 * chooses ({@link #firstMax}), so pooling, its gradient and its selection agree.
 */
final class Pooling {
    private Pooling() {}

    /** The windows of a pooling over x of shape {@code [B, H, W, C]} giving {@code [B, H', W', C]}. */
    private record Geometry(int batch, WindowAxis h, WindowAxis w, int channels) {
        static Geometry of(String op, int[] x, int[] y, Pool p) {
            if (x.length != 4 || y.length != 4 || x[0] != y[0] || x[3] != y[3]) {
                throw new InterpreterException(op + ": " + Dims.format(x) + " and " + Dims.format(y) + " do not fit");
            }
            return new Geometry(x[0],
                    WindowAxis.of(op, "height", x[1], y[1], (int) p.sizeH(), p.strideH(), 1, p.same()),
                    WindowAxis.of(op, "width", x[2], y[2], (int) p.sizeW(), p.strideW(), 1, p.same()),
                    x[3]);
        }

        int x(int b, int ih, int iw, int c) { return ((b * h.in() + ih) * w.in() + iw) * channels + c; }

        int y(int b, int oh, int ow, int c) { return ((b * h.out() + oh) * w.out() + ow) * channels + c; }

        int ySize() { return batch * h.out() * w.out() * channels; }
    }

    /**
     * The flat index in x of the element window (oh, ow) of channel c chooses: the first maximum
     * in row-major order within the window, where a NaN beats every number and the first NaN wins
     * (as argmax). -1 for a window with no real positions.
     */
    private static int firstMax(Geometry g, double[] x, int b, int oh, int ow, int c) {
        int best = -1;
        for (int kh = 0; kh < g.h().size(); kh++) {
            int ih = g.h().at(oh, kh);
            if (ih < 0 || ih >= g.h().in()) continue;
            for (int kw = 0; kw < g.w().size(); kw++) {
                int iw = g.w().at(ow, kw);
                if (iw < 0 || iw >= g.w().in()) continue;
                int i = g.x(b, ih, iw, c);
                if (best < 0 || (!Double.isNaN(x[best]) && (Double.isNaN(x[i]) || x[i] > x[best]))) best = i;
            }
        }
        return best;
    }

    /** For every element of the pooled result (C order), the index in x its window chooses. */
    private static int[] choices(Geometry g, double[] x) {
        int[] chosen = new int[g.ySize()];
        for (int b = 0; b < g.batch(); b++)
            for (int oh = 0; oh < g.h().out(); oh++)
                for (int ow = 0; ow < g.w().out(); ow++)
                    for (int c = 0; c < g.channels(); c++) chosen[g.y(b, oh, ow, c)] = firstMax(g, x, b, oh, ow, c);
        return chosen;
    }

    static Value maxPool(Value xv, Pool p, int[] yDims) {
        Floats x = Reductions.requireFloat("maxpool", xv);
        int[] chosen = choices(Geometry.of("maxpool", x.dims(), yDims, p), x.data());
        double[] y = new double[chosen.length];
        for (int i = 0; i < y.length; i++) y[i] = chosen[i] < 0 ? Double.NEGATIVE_INFINITY : x.data()[chosen[i]];
        return Value.floats(x.dtype(), yDims, y);
    }

    /** Each dy goes to the element its window chose in x; overlapping windows add up. */
    static Value maxPoolGrad(Value xv, Value dyv, Pool p) {
        Floats x = Reductions.requireFloat("maxpool_grad", xv), dy = Reductions.requireFloat("maxpool_grad", dyv);
        sameType("maxpool_grad", x, dy);
        int[] chosen = choices(Geometry.of("maxpool_grad", x.dims(), dy.dims(), p), x.data());
        double[] dx = new double[x.size()];
        for (int i = 0; i < chosen.length; i++) if (chosen[i] >= 0) dx[chosen[i]] += dy.data()[i];
        return Value.floats(x.dtype(), x.dims(), dx);
    }

    /** g (shaped like x) at the element each window of x chooses. */
    static Value maxPoolSelect(Value xv, Value gv, Pool p, int[] yDims) {
        Floats x = Reductions.requireFloat("maxpool_select", xv), g = Reductions.requireFloat("maxpool_select", gv);
        sameType("maxpool_select", x, g);
        Elementwise.requireSameDims("maxpool_select", x, g);
        int[] chosen = choices(Geometry.of("maxpool_select", x.dims(), yDims, p), x.data());
        double[] y = new double[chosen.length];
        for (int i = 0; i < y.length; i++) y[i] = chosen[i] < 0 ? 0.0 : g.data()[chosen[i]];
        return Value.floats(x.dtype(), yDims, y);
    }

    /** The mean of the real (unpadded) elements of each window. */
    static Value avgPool(Value xv, Pool p, int[] yDims) {
        Floats x = Reductions.requireFloat("avgpool", xv);
        Geometry g = Geometry.of("avgpool", x.dims(), yDims, p);
        double[] xs = x.data(), y = new double[g.ySize()];
        int[] counts = new int[y.length];
        forEachTap(g, (yi, xi, count) -> {
            y[yi] += xs[xi];
            counts[yi] = count;
        });
        for (int i = 0; i < y.length; i++) y[i] /= counts[i];
        return Value.floats(x.dtype(), yDims, y);
    }

    /** The adjoint of avgpool: each dy spread evenly over the real elements of its window. */
    static Value avgPoolGrad(Value dyv, Pool p, int[] xDims) {
        Floats dy = Reductions.requireFloat("avgpool_grad", dyv);
        Geometry g = Geometry.of("avgpool_grad", xDims, dy.dims(), p);
        double[] dys = dy.data(), dx = new double[Dims.size(xDims)];
        forEachTap(g, (yi, xi, count) -> dx[xi] += dys[yi] / count);
        return Value.floats(dy.dtype(), xDims, dx);
    }

    private interface Tap {
        void visit(int yIndex, int xIndex, int realCount);
    }

    /** Every (pooled element, real element of its window) pair, with the window's real count. */
    private static void forEachTap(Geometry g, Tap tap) {
        for (int b = 0; b < g.batch(); b++) {
            for (int oh = 0; oh < g.h().out(); oh++) {
                int h0 = Math.max(g.h().at(oh, 0), 0), h1 = Math.min(g.h().at(oh, g.h().size() - 1), g.h().in() - 1);
                for (int ow = 0; ow < g.w().out(); ow++) {
                    int w0 = Math.max(g.w().at(ow, 0), 0), w1 = Math.min(g.w().at(ow, g.w().size() - 1), g.w().in() - 1);
                    int count = (h1 - h0 + 1) * (w1 - w0 + 1);
                    for (int ih = h0; ih <= h1; ih++)
                        for (int iw = w0; iw <= w1; iw++)
                            for (int c = 0; c < g.channels(); c++) tap.visit(g.y(b, oh, ow, c), g.x(b, ih, iw, c), count);
                }
            }
        }
    }

    private static void sameType(String op, Floats a, Floats b) {
        if (a.dtype() != b.dtype()) throw new InterpreterException(op + ": operands differ: " + a.describe() + " and " + b.describe());
    }
}
