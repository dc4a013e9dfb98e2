package dev.modelc.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Backend.LLVM} through the Java API: runs entries like the interpreter and rejects bad inputs in Java. */
class LlvmBackendTest {
    private static final Path MLP = Path.of("../examples/mnist_mlp.model");

    @Test
    void runsAnEntryAsTheInterpreterDoesAtAnyBatchSize() {
        var llvm = ModelCompiler.create().compile(MLP, Backend.LLVM).initParams(42);
        var interp = ModelCompiler.create().compile(MLP, Backend.INTERP).initParams(42);
        for (int batch : new int[] {1, 3, 128}) {
            float[] x = new float[batch * 784];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
            var in = Map.of("x", Tensor.of(x, batch, 784));
            float[] expected = interp.run("logits", in).toFloatArray(), actual = llvm.run("logits", in).toFloatArray();
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 + 1e-4 * Math.abs(expected[i]), "batch " + batch + " [" + i + "]");
            }
        }
    }

    @Test
    void aWrongShapeOrTypeIsRejectedBeforeNativeCodeRuns() {
        var llvm = ModelCompiler.create().compile(MLP, Backend.LLVM).initParams(42);
        var shape = assertThrows(ModelException.class, () -> llvm.run("logits", Map.of("x", Tensor.of(new float[10], 2, 5))));
        assertTrue(shape.getMessage().contains("x"), shape.getMessage());
        var type = assertThrows(ModelException.class, () -> llvm.run("logits", Map.of("x", Tensor.of(new double[784], 1, 784))));
        assertTrue(type.getMessage().contains("x"), type.getMessage());
    }
}
