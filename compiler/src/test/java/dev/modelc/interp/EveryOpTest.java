package dev.modelc.interp;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphTextTest;
import dev.modelc.graph.Node;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EveryOpTest {
    @Test
    void theEveryOpGraphRunsWithEveryNodeAsAResult() {
        Graph g = GraphTextTest.everyOp();
        var results = new ArrayList<Graph.Result>();
        for (Node n : g.nodes()) results.add(new Graph.Result("n" + n.id(), n.id()));
        Graph all = new Graph(g.name(), g.nodes(), results);
        var rnd = new Random(3);
        float[] x = new float[2 * 4 * 4 * 3], k = new float[2 * 2 * 3 * 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < k.length; i++) k[i] = (float) rnd.nextGaussian();
        var out = Interpreter.run(all, Map.of("x", Tensor.of(x, 2, 4, 4, 3), "k", Tensor.of(k, 2, 2, 3, 5), "key", Tensor.scalar(5L)));
        assertEquals(g.nodes().size(), out.size());
        for (Node n : g.nodes()) {
            Tensor t = out.get("n" + n.id());
            assertEquals(n.type().rank(), t.rank(), n.toString());
            for (int a = 0; a < t.rank(); a++) {
                long expected = n.type().dim(a).evaluate(Map.of("B", 2L)).orElseThrow();
                assertEquals(expected, t.dim(a), "axis " + a + " of %" + n.id());
            }
        }
        // the last node is -(-inf); m is sel @ sel^T, symmetric
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY}, out.get("n" + g.result("out").id()).toDoubleArray());
        Tensor m = out.get("n" + g.result("m").id());
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) assertEquals(m.getFloat(i, j), m.getFloat(j, i));
    }
}
