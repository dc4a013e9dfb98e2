package dev.modelc.interp;

import static dev.modelc.interp.Interp.c;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.Verifier;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * End to end: one SGD step of a two-layer MLP with softmax cross-entropy, gradients written out
 * by hand in the IR, run repeatedly by the interpreter on separable synthetic data.
 */
class MlpTrainingTest {
    private static final DimExpr B = DimExpr.var("B");

    /** Inputs x f32[B, d], y i32[B], params w1, b1, w2, b2; results loss, correct and the updated params. */
    static Graph sgdStep(int d, int hidden, int classes, double lr) {
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B, c(d)));
        int y = g.input(Role.INPUT, "y", TensorType.of(DType.I32, B));
        int w1 = g.input(Role.PARAM, "w1", TensorType.of(DType.F32, c(d), c(hidden)));
        int b1 = g.input(Role.PARAM, "b1", TensorType.of(DType.F32, c(hidden)));
        int w2 = g.input(Role.PARAM, "w2", TensorType.of(DType.F32, c(hidden), c(classes)));
        int b2 = g.input(Role.PARAM, "b2", TensorType.of(DType.F32, c(classes)));
        var bc = List.of(B, c(classes));
        int labels = g.broadcast(y, List.of(0), bc);
        int onehot = g.convert(g.binary(BinaryFn.EQ, labels, g.iota(1, new TensorType(DType.I32, bc))), DType.F32);
        int batch = g.convert(g.dimSize(B, DType.I64), DType.F32);

        int z1 = g.add(g.matmul(x, w1), b1);
        int h = g.unary(UnaryFn.RELU, z1);
        int logits = g.add(g.matmul(h, w2), b2);
        int nll = g.reduce(ReduceFn.SUM, g.mul(onehot, g.logSoftmax(logits, List.of(1))), List.of(0, 1));
        int loss = g.div(g.unary(UnaryFn.NEG, nll), batch);
        int predicted = g.convert(g.argReduce(true, logits, 1), DType.I32);
        int correct = g.reduce(ReduceFn.SUM, g.convert(g.binary(BinaryFn.EQ, predicted, y), DType.I32), List.of(0));

        int dlogits = g.div(g.binary(BinaryFn.SUB, g.softmax(logits, List.of(1)), onehot), batch);
        int dw2 = g.matmul(g.transpose(h, List.of(1, 0)), dlogits);
        int db2 = g.reduce(ReduceFn.SUM, dlogits, List.of(0));
        int dh = g.matmul(dlogits, g.transpose(w2, List.of(1, 0)));
        int dz1 = g.select(g.binaryBroadcast(BinaryFn.GT, z1, g.scalar(0, DType.F32)), dh, g.scalar(0, DType.F32));
        int dw1 = g.matmul(g.transpose(x, List.of(1, 0)), dz1);
        int db1 = g.reduce(ReduceFn.SUM, dz1, List.of(0));
        var results = new java.util.ArrayList<Graph.Result>(List.of(new Graph.Result("loss", loss), new Graph.Result("correct", correct)));
        int[][] updates = {{w1, dw1}, {b1, db1}, {w2, dw2}, {b2, db2}};
        String[] names = {"w1", "b1", "w2", "b2"};
        for (int i = 0; i < 4; i++) results.add(new Graph.Result(names[i], g.binary(BinaryFn.SUB, updates[i][0], g.scale(updates[i][1], lr))));
        return Verifier.verify(g.build("step", results));
    }

    static Map<String, Tensor> initialParams(int d, int hidden, int classes, Random rnd) {
        var p = new HashMap<String, Tensor>();
        p.put("w1", gaussian(rnd, Math.sqrt(2.0 / d), d, hidden));
        p.put("b1", Tensor.of(new float[hidden], hidden));
        p.put("w2", gaussian(rnd, Math.sqrt(2.0 / hidden), hidden, classes));
        p.put("b2", Tensor.of(new float[classes], classes));
        return p;
    }

    static Tensor gaussian(Random rnd, double sd, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * sd);
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) dims[i] = shape[i];
        return Tensor.of(v, dims);
    }

    @Test
    void sgdLearnsSeparableClusters() {
        int d = 16, hidden = 32, classes = 4, batch = 32;
        var rnd = new Random(7);
        float[][] centres = new float[classes][d];
        for (float[] centre : centres) for (int j = 0; j < d; j++) centre[j] = (float) (rnd.nextGaussian() * 2);
        Graph step = sgdStep(d, hidden, classes, 0.1);
        Map<String, Tensor> params = initialParams(d, hidden, classes, rnd);
        double firstLoss = 0, lastLoss = 0;
        long lastCorrect = 0;
        for (int it = 0; it < 60; it++) {
            float[] x = new float[batch * d];
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = rnd.nextInt(classes);
                for (int j = 0; j < d; j++) x[i * d + j] = centres[y[i]][j] + (float) rnd.nextGaussian();
            }
            var in = new HashMap<>(params);
            in.put("x", Tensor.of(x, batch, d));
            in.put("y", Tensor.of(y, batch));
            var out = Interpreter.run(step, in);
            double loss = out.get("loss").getFloat();
            if (it == 0) firstLoss = loss;
            lastLoss = loss;
            lastCorrect = out.get("correct").getInt();
            for (String p : List.of("w1", "b1", "w2", "b2")) params.put(p, out.get(p));
        }
        assertTrue(lastLoss < firstLoss / 4, "loss went from " + firstLoss + " to " + lastLoss);
        assertTrue(lastCorrect >= batch - 2, lastCorrect + " of " + batch + " correct");
    }
}
