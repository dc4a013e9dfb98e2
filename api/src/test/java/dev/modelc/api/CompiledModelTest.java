package dev.modelc.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledModelTest {
    private static final Path XOR = Path.of("../examples/xor.model");
    private static final Tensor X = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
    private static final Tensor Y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);

    private static CompiledModel xor() { return ModelCompiler.create().compile(XOR, Backend.INTERP); }

    @Test
    void describesItsEntriesInputsAndParams() {
        var m = xor();
        assertEquals("Xor", m.name());
        assertEquals(List.of("logits", "probs", "loss", "accuracy"), m.entries());
        assertEquals(List.of("logits", "probs"), m.outputs());
        assertEquals("[x: f32[B, 2], y: f32[B, 1]]", m.inputs().toString());
        assertEquals("[x: f32[B, 2]]", m.inputs("logits").toString());
        assertEquals("[w1: f32[2, 8], b1: f32[8], w2: f32[8, 1], b2: f32[1]]", m.params().toString());
        assertEquals(new TrainingDefaults(4, 1000, 42, true, "adam"), m.trainingDefaults().orElseThrow());
    }

    @Test
    void initialisationIsDeterministicPerSeed() {
        var a = xor().initParams(7).paramValues();
        var b = xor().initParams(7).paramValues();
        var c = xor().initParams(8).paramValues();
        assertEquals(a, b);
        assertNotEquals(a.get("w1"), c.get("w1"));
        assertEquals(Tensor.zeros(DType.F32, 8), a.get("b1"));
    }

    @Test
    void xorTrainsToConvergence() {
        var m = xor().initParams();
        var trainer = m.trainer();
        TrainStep.Result last = null;
        for (int i = 0; i < 1000; i++) last = trainer.step(Map.of("x", X, "y", Y));
        assertTrue(last.loss() < 0.05, "loss after 1000 steps: " + last.loss());
        assertEquals(1.0, last.metrics().get("accuracy"));
        var probs = m.run("probs", Map.of("x", X)).toFloatArray();
        assertTrue(probs[0] < 0.1 && probs[1] > 0.9 && probs[2] > 0.9 && probs[3] < 0.1, java.util.Arrays.toString(probs));
        assertEquals(1000, trainer.steps());
    }

    @Test
    void paramsRoundTripThroughAFile(@TempDir Path dir) {
        var m = xor().initParams(3);
        var file = dir.resolve("p.safetensors");
        m.saveParams(file);
        var back = xor().loadParams(file);
        assertEquals(m.paramValues(), back.paramValues());
        assertEquals(m.run("logits", Map.of("x", X)), back.run("logits", Map.of("x", X)));
    }

    @Test
    void mistakesAreClearErrors(@TempDir Path dir) throws Exception {
        var m = xor();
        var noParams = assertThrows(ModelException.class, () -> m.run("logits", Map.of("x", X)));
        assertTrue(noParams.getMessage().contains("w1, b1, w2, b2"), noParams.getMessage());
        m.initParams();
        var entry = assertThrows(ModelException.class, () -> m.run("logit", Map.of("x", X)));
        assertEquals("model Xor has no entry 'logit'; its entries are: logits, probs, loss, accuracy", entry.getMessage());
        var shape = assertThrows(ModelException.class, () -> m.run("logits", Map.of("x", Tensor.of(new float[6], 2, 3))));
        assertTrue(shape.getMessage().contains("f32[B, 2]"), shape.getMessage());
        var missing = assertThrows(ModelException.class, () -> m.run("loss", Map.of("x", X)));
        assertTrue(missing.getMessage().contains("'y'"), missing.getMessage());
        var param = assertThrows(ModelException.class, () -> m.setParam("w1", Tensor.zeros(DType.F32, 3, 8)));
        assertEquals("w1 is declared f32[2, 8] but the given tensor has f32[3, 8]", param.getMessage());
        var bad = Files.writeString(dir.resolve("bad.model"), "model M { input x: f32[2]\n output y = x @ x @ x }\n");
        var compile = assertThrows(CompileException.class, () -> ModelCompiler.create().compile(bad, Backend.INTERP));
        assertTrue(compile.diagnostics().contains("bad.model:2:"), compile.diagnostics());
    }
}
