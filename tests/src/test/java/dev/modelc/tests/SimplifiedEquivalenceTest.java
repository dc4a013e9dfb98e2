package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.Frontend;
import dev.modelc.graph.Graph;
import dev.modelc.graph.Op;
import dev.modelc.interp.Interpreter;
import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Simplification keeps meaning: every entry of every example, run by the interpreter on the same
 * random inputs before and after the standard passes, gives the same results. The passes are
 * IEEE-exact except "sum of a broadcast becomes a product with the count", hence a tolerance of
 * a few ulps rather than bit equality.
 */
class SimplifiedEquivalenceTest {
    private static final Path EXAMPLES = Path.of("../examples");

    @TestFactory
    Stream<DynamicTest> examples() throws IOException {
        try (var list = Files.list(EXAMPLES)) {
            return list.filter(p -> p.toString().endsWith(".model")).sorted().toList().stream().flatMap(file -> {
                var c = compile(file);
                assertFalse(c.hasErrors(), c.renderDiagnostics());
                var before = c.graphs().get(0);
                var after = c.simplified().get(0);
                String name = file.getFileName().toString().replaceFirst("\\.model$", "");
                return before.entries().stream().map(g -> DynamicTest.dynamicTest(name + " " + g.name(),
                        () -> compare(g, after.entry(g.name()).orElseThrow())));
            });
        }
    }

    private static void compare(Graph before, Graph after) {
        var inputs = randomInputs(before, new Random(before.name().hashCode()));
        var expected = Interpreter.run(before, inputs);
        var actual = Interpreter.run(after, inputs);
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) {
            var a = actual.get(e.getKey());
            assertEquals(e.getValue().dtype(), a.dtype(), e.getKey());
            double[] x = dev.modelc.loops.LoopAgreement.doubles(e.getValue());
            double[] y = dev.modelc.loops.LoopAgreement.doubles(a);
            for (int i = 0; i < x.length; i++) {
                double tol = 1e-6 * Math.max(1, Math.abs(x[i]));
                assertTrue(Math.abs(x[i] - y[i]) <= tol || Double.compare(x[i], y[i]) == 0,
                        before.name() + " result " + e.getKey() + "[" + i + "]: " + x[i] + " before, " + y[i] + " after");
            }
        }
    }

    /** Every graph input with its dimension variables bound to 3; floats normal (second moments positive), integers in [0, 2), step 3. */
    static Map<String, Tensor> randomInputs(Graph g, Random rnd) {
        var dims = new HashMap<String, Long>();
        var inputs = new HashMap<String, Tensor>();
        for (var n : g.nodes()) {
            if (!(n.op() instanceof Op.Input in)) continue;
            for (var d : n.type().shape()) for (var v : d.variables()) dims.putIfAbsent(v, 3L);
            long[] shape = n.type().shape().stream().mapToLong(d -> d.evaluate(dims).orElseThrow()).toArray();
            int count = Math.toIntExact(Tensor.elementCountOf(shape));
            inputs.put(in.name(), switch (n.type().dtype()) {
                case F32 -> {
                    var v = new float[count];
                    // optimiser state as training leaves it: a second moment is never negative
                    boolean positive = in.name().endsWith(".v") || in.name().endsWith(".sq") || in.name().endsWith(".acc");
                    for (int i = 0; i < count; i++) {
                        double z = rnd.nextGaussian();
                        v[i] = in.name().equals("train.step") ? 3 : (float) (positive ? 0.5 + Math.abs(z) : z);
                    }
                    yield Tensor.of(v, shape);
                }
                case F64 -> Tensor.of(rnd.doubles(count).toArray(), shape);
                case I32 -> Tensor.of(rnd.ints(count, 0, 2).toArray(), shape);
                case I64 -> Tensor.of(rnd.longs(count, 0, 1000).toArray(), shape);
                case BOOL -> Tensor.zeros(DType.BOOL, shape);
                default -> throw new IllegalStateException("no random " + n.type().dtype());
            });
        }
        return inputs;
    }


    /** An example file compiled and lowered, with its imports resolved beside it. */
    static dev.modelc.Compilation compile(Path file) {
        try {
            return Frontend.create().compileString("examples/" + file.getFileName(), Files.readString(file), file.getParent()).lower();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
