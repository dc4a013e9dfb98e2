package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelc.Frontend;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.Op;
import dev.modelc.loops.LoopLowering;
import dev.modelc.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every entry of the dense examples (the CNNs take the evaluator too long), fused and lowered as
 * the compiler does, on every backend: the lowerings' kernels together (reductions, softmax,
 * optimiser steps) agree with the evaluator as {@link Agreement} says, on random inputs with
 * every dimension variable 5. The simulated GPU runs the GPU's lowering (tiled f32 matmuls), checked
 * against the evaluator of the CPUs' within the golden cases' default tolerance.
 */
class ExamplesAgreementTest {
    record Entry(String label, Graph graph) {
        @Override
        public String toString() { return label; }
    }

    static Stream<Arguments> entries() throws IOException {
        var out = new ArrayList<Entry>();
        try (var files = Files.list(Path.of("../examples"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".model") && !p.toString().contains("cnn")).sorted().toList()) {
                var c = Frontend.create().compileString("examples/" + file.getFileName(), Files.readString(file), file.getParent()).lower();
                assertFalse(c.hasErrors(), c.renderDiagnostics());
                for (var g : c.simplified().get(0).entries()) out.add(new Entry(file.getFileName() + " " + g.name(), g));
            }
        }
        return TestBackend.each(out.stream());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("entries")
    void agrees(TestBackend backend, Entry e) {
        var rnd = new Random(e.label().hashCode());
        var dims = new HashMap<String, Long>();
        var inputs = new HashMap<String, Tensor>();
        for (var n : e.graph().nodes()) {
            if (!(n.op() instanceof Op.Input in)) continue;
            for (var d : n.type().shape()) for (var v : d.variables()) dims.putIfAbsent(v, 5L);
            long[] shape = n.type().shape().stream().mapToLong(d -> d.evaluate(dims).orElseThrow()).toArray();
            int count = (int) Tensor.elementCountOf(shape);
            inputs.put(in.name(), switch (n.type().dtype()) {
                case F32 -> Tensor.of(floats(in.name(), count, rnd), shape);
                case I32 -> Tensor.of(rnd.ints(count, 0, 2).toArray(), shape);
                case I64 -> Tensor.of(rnd.longs(count, 0, 1000).toArray(), shape);
                default -> Tensor.zeros(n.type().dtype().toRuntime(), shape);
            });
        }
        var fused = Fusion.fuse(e.graph());
        if (backend == TestBackend.GPU_SIMULATED) {
            Agreement.assertClose(backend, LoopLowering.lower(fused), LoopLowering.lowerForGpu(fused), inputs, dims, 1e-4, 1e-5);
        } else {
            Agreement.assertAgrees(backend, LoopLowering.lower(fused), inputs, dims);
        }
    }

    /** Gaussian values; positive ones for optimiser state that training keeps positive (second moments); a step count of 3. */
    private static float[] floats(String input, int count, Random rnd) {
        boolean positive = input.endsWith(".v") || input.endsWith(".sq") || input.endsWith(".acc");
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            double z = rnd.nextGaussian();
            v[i] = input.equals("train.step") ? 3 : (float) (positive ? 0.5 + Math.abs(z) : z);
        }
        return v;
    }
}
