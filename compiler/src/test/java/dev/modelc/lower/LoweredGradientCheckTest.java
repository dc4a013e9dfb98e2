package dev.modelc.lower;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.Frontend;
import dev.modelc.graph.GraphModule;
import dev.modelc.interp.Interpreter;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lowering, autodiff and the interpreter together: symbolic gradients against central differences in f64. */
class LoweredGradientCheckTest {
    private static final String MODEL = """
            model M {
              input x: f64[4, 3]
              param w: f64[3, 2] = ones()
              param b: f64[2] = zeros()
              let z = tanh(x @ w + b)
              loss = mean(log_softmax(z, axis=-1) * x[:, 0:2]) + sum(square(w)) / 10 + logsumexp(z * b)
              output gw = grad(loss, w)
              output gb = grad(loss, b)
              output hw = grad(sum(grad(loss, w) * w), w)
            }
            """;

    @Test
    void gradientsMatchCentralDifferences() {
        var c = Frontend.create().compileString("m.model", MODEL).lower();
        assertFalse(c.hasErrors(), c.renderDiagnostics());
        GraphModule m = c.graph(null).orElseThrow();
        var rnd = new Random(7);
        double[] x = new double[12], w = new double[6], b = new double[2];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextGaussian() * 0.5;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian() * 0.5;
        double[] gw = run(m, "gw", x, w, b).toDoubleArray();
        double[] gb = run(m, "gb", x, w, b).toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < w.length; i++) {
            double[] wp = w.clone(), wm = w.clone();
            wp[i] += h;
            wm[i] -= h;
            double fd = (loss(m, x, wp, b) - loss(m, x, wm, b)) / (2 * h);
            assertEquals(fd, gw[i], 1e-7, "d loss / d w[" + i + "]");
        }
        for (int i = 0; i < b.length; i++) {
            double[] bp = b.clone(), bm = b.clone();
            bp[i] += h;
            bm[i] -= h;
            double fd = (loss(m, x, w, bp) - loss(m, x, w, bm)) / (2 * h);
            assertEquals(fd, gb[i], 1e-7, "d loss / d b[" + i + "]");
        }
        // Second order: d/dw sum(grad(loss, w) * w), checked against differences of that sum.
        double[] hw = run(m, "hw", x, w, b).toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            double[] wp = w.clone(), wm = w.clone();
            wp[i] += h;
            wm[i] -= h;
            double fd = (dot(run(m, "gw", x, wp, b).toDoubleArray(), wp) - dot(run(m, "gw", x, wm, b).toDoubleArray(), wm)) / (2 * h);
            assertEquals(fd, hw[i], 1e-6, "second derivative at w[" + i + "]");
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double loss(GraphModule m, double[] x, double[] w, double[] b) {
        return run(m, "loss", x, w, b).toDoubleArray()[0];
    }

    private static Tensor run(GraphModule m, String entry, double[] x, double[] w, double[] b) {
        Map<String, Tensor> in = new HashMap<>();
        in.put("x", Tensor.of(x, 4, 3));
        in.put("w", Tensor.of(w, 3, 2));
        in.put("b", Tensor.of(b, 2));
        return Interpreter.run(m.entry(entry).orElseThrow(), in).get(entry);
    }
}
