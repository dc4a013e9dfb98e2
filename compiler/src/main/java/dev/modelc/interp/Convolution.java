package dev.modelc.interp;

import dev.modelc.graph.Op.Window;
import dev.modelc.interp.Value.Floats;

/**
 * 2-D convolution on NHWC data with HWIO kernels, and its two gradients. All three walk the same
 * (batch, output position, tap, in channel, out channel) index space and read or write
 * {@code x[b, oh*sh - padTop + kh*dh, ow*sw - padLeft + kw*dw, c]}, {@code k[kh, kw, c, o]} and
 * {@code y[b, oh, ow, o]}; the gradients are the exact adjoints because they visit exactly the
 * same triples and skip exactly the same padded taps. Sums accumulate in double and round once.
 */
final class Convolution {
    private Convolution() {}

    /** The shared index space: batch, spatial axes, channels in and out. */
    private record Geometry(int batch, WindowAxis h, WindowAxis w, int cin, int cout) {
        static Geometry of(String op, int[] x, int[] k, int[] y, Window win) {
            if (x.length != 4 || k.length != 4 || y.length != 4) throw new InterpreterException(op + " needs rank-4 operands");
            if (x[3] != k[2] || y[3] != k[3] || x[0] != y[0]) {
                throw new InterpreterException(op + ": x " + Dims.format(x) + ", kernel " + Dims.format(k) + " and y " + Dims.format(y) + " do not fit");
            }
            return new Geometry(x[0],
                    WindowAxis.of(op, "height", x[1], y[1], k[0], win.strideH(), win.dilationH(), win.same()),
                    WindowAxis.of(op, "width", x[2], y[2], k[1], win.strideW(), win.dilationW(), win.same()),
                    x[3], k[3]);
        }

        int x(int b, int ih, int iw) { return ((b * h.in() + ih) * w.in() + iw) * cin; }

        int y(int b, int oh, int ow) { return ((b * h.out() + oh) * w.out() + ow) * cout; }

        int k(int kh, int kw) { return (kh * w.size() + kw) * cin * cout; }
    }

    private static void sameType(String op, Floats a, Floats b) {
        if (a.dtype() != b.dtype()) throw new InterpreterException(op + ": operands differ: " + a.describe() + " and " + b.describe());
    }

    /** {@code y[b,oh,ow,o] = sum over kh,kw,c of x[b, ih, iw, c] * k[kh,kw,c,o]}. */
    static Value conv2d(Value xv, Value kv, Window win, int[] yDims) {
        Floats x = Reductions.requireFloat("conv2d", xv), k = Reductions.requireFloat("conv2d", kv);
        sameType("conv2d", x, k);
        Geometry g = Geometry.of("conv2d", x.dims(), k.dims(), yDims, win);
        double[] xs = x.data(), ks = k.data(), y = new double[Dims.size(yDims)];
        forEachTap(g, (yi, xi, ki) -> {
            for (int c = 0; c < g.cin(); c++) {
                double xc = xs[xi + c];
                int kc = ki + c * g.cout();
                for (int o = 0; o < g.cout(); o++) y[yi + o] += xc * ks[kc + o];
            }
        });
        return Value.floats(x.dtype(), yDims, y);
    }

    /** {@code dx[b, ih, iw, c] = sum of dy[b,oh,ow,o] * k[kh,kw,c,o]} over the taps that read x[b, ih, iw, c]. */
    static Value inputGrad(Value dyv, Value kv, Window win, int[] xDims) {
        Floats dy = Reductions.requireFloat("conv2d_input_grad", dyv), k = Reductions.requireFloat("conv2d_input_grad", kv);
        sameType("conv2d_input_grad", dy, k);
        Geometry g = Geometry.of("conv2d_input_grad", xDims, k.dims(), dy.dims(), win);
        double[] dys = dy.data(), ks = k.data(), dx = new double[Dims.size(xDims)];
        forEachTap(g, (yi, xi, ki) -> {
            for (int c = 0; c < g.cin(); c++) {
                int kc = ki + c * g.cout();
                double sum = 0;
                for (int o = 0; o < g.cout(); o++) sum += dys[yi + o] * ks[kc + o];
                dx[xi + c] += sum;
            }
        });
        return Value.floats(dy.dtype(), xDims, dx);
    }

    /** {@code dk[kh,kw,c,o] = sum over b,oh,ow of x[b, ih, iw, c] * dy[b,oh,ow,o]}. */
    static Value kernelGrad(Value xv, Value dyv, Window win, int[] kDims) {
        Floats x = Reductions.requireFloat("conv2d_kernel_grad", xv), dy = Reductions.requireFloat("conv2d_kernel_grad", dyv);
        sameType("conv2d_kernel_grad", x, dy);
        Geometry g = Geometry.of("conv2d_kernel_grad", x.dims(), kDims, dy.dims(), win);
        double[] xs = x.data(), dys = dy.data(), dk = new double[Dims.size(kDims)];
        forEachTap(g, (yi, xi, ki) -> {
            for (int c = 0; c < g.cin(); c++) {
                double xc = xs[xi + c];
                int kc = ki + c * g.cout();
                for (int o = 0; o < g.cout(); o++) dk[kc + o] += xc * dys[yi + o];
            }
        });
        return Value.floats(x.dtype(), kDims, dk);
    }

    /** Where one kernel tap meets the input: offsets of the output pixel, the input pixel and the kernel tap. */
    @FunctionalInterface
    private interface Tap {
        void at(int yi, int xi, int ki);
    }

    /**
     * Visits every (output pixel, kernel tap) pair whose input pixel lies inside x (taps that fall
     * in the padding are skipped): the one index space conv2d and both its gradients share.
     */
    private static void forEachTap(Geometry g, Tap tap) {
        for (int b = 0; b < g.batch(); b++) {
            for (int oh = 0; oh < g.h().out(); oh++) {
                for (int ow = 0; ow < g.w().out(); ow++) {
                    int yi = g.y(b, oh, ow);
                    for (int kh = 0; kh < g.h().size(); kh++) {
                        int ih = g.h().at(oh, kh);
                        if (ih < 0 || ih >= g.h().in()) continue;
                        for (int kw = 0; kw < g.w().size(); kw++) {
                            int iw = g.w().at(ow, kw);
                            if (iw < 0 || iw >= g.w().in()) continue;
                            tap.at(yi, g.x(b, ih, iw), g.k(kh, kw));
                        }
                    }
                }
            }
        }
    }
}
