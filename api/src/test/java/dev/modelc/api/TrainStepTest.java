package dev.modelc.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The trainer holds params and optimiser state between steps; the model and other trainers still see every update. */
class TrainStepTest {
    /** Without a GPU, CUDA is the simulated one: the GPU kernels and plans on this CPU through the CUDA runtime. */
    @org.junit.jupiter.api.BeforeAll
    static void simulateAGpuWhereThereIsNone() {
        if (!dev.modelc.runtime.cuda.CudaAvailability.probe().available()) System.setProperty(CudaPrograms.SIMULATE, "true");
    }

    @org.junit.jupiter.api.AfterAll
    static void stopSimulating() { System.clearProperty(CudaPrograms.SIMULATE); }

    private static final Path XOR = Path.of("../examples/xor.model");
    private static final Map<String, Tensor> BATCH = Map.of(
            "x", Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2),
            "y", Tensor.of(new float[] {0, 1, 1, 0}, 4, 1));

    private static CompiledModel xor(Backend backend) { return ModelCompiler.create().compile(XOR, backend).initParams(); }

    private static double[] losses(TrainStep t, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = t.step(BATCH).loss();
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"INTERP", "JVM", "LLVM", "CUDA"})
    void theModelSeesTheNewParamsAfterEachStep(Backend backend) {
        var m = xor(backend);
        var before = m.paramValues().get("w1");
        var t = m.trainer();
        t.step(BATCH);
        var afterOne = m.paramValues().get("w1");
        assertNotEquals(before, afterOne);
        t.step(BATCH);
        assertNotEquals(afterOne, m.paramValues().get("w1"));
        assertNotEquals(Tensor.zeros(dev.modelc.runtime.DType.F32, 2, 8), t.state().get("w1.m"));
        // the forward entry runs on the updated params
        var reference = xor(backend);
        m.paramValues().forEach(reference::setParam);
        assertEquals(reference.run("logits", BATCH), m.run("logits", BATCH));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"INTERP", "JVM", "LLVM", "CUDA"})
    void aParamSetBetweenStepsIsTheOneTheNextStepUses(Backend backend) {
        var m = xor(backend);
        var t = m.trainer();
        t.step(BATCH);
        var w1 = Tensor.of(new float[16], 2, 8);
        m.setParam("w1", w1);
        t.step(BATCH);
        // Adam moves each weight by about lr (0.01) per step: from zeros, not from the he_normal values of the first step
        float[] after = m.paramValues().get("w1").toFloatArray();
        double largest = 0;
        for (float v : after) largest = Math.max(largest, Math.abs(v));
        assertTrue(largest > 0 && largest < 0.02, java.util.Arrays.toString(after));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"INTERP", "JVM", "LLVM", "CUDA"})
    void twoTrainersTakeTurnsOnOneModel(Backend backend) {
        var alternating = xor(backend);
        var a = alternating.trainer(1);
        var b = alternating.trainer(1);
        double[] turns = {a.step(BATCH).loss(), b.step(BATCH).loss(), a.step(BATCH).loss()};
        // each step starts from the params the previous step (of either trainer) left
        assertNotEquals(turns[0], turns[1]);
        assertNotEquals(turns[1], turns[2]);
        assertEquals(2, a.steps());
        assertEquals(1, b.steps());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"INTERP", "JVM", "LLVM", "CUDA"})
    void restoringStateContinuesBitIdentically(Backend backend) {
        var whole = xor(backend);
        var wt = whole.trainer();
        losses(wt, 5);
        double[] tail = losses(wt, 5);

        var first = xor(backend);
        var ft = first.trainer();
        losses(ft, 5);
        var params = first.paramValues();
        var state = ft.state();

        var resumed = xor(backend);
        params.forEach(resumed::setParam);
        var rt = resumed.trainer();
        rt.restore(state, 5);
        assertArrayEquals(tail, losses(rt, 5));
        assertEquals(whole.paramValues(), resumed.paramValues());
        assertEquals(wt.state(), rt.state());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"JVM", "LLVM", "CUDA"})
    void aCompiledStepMatchesTheInterpretersStep(Backend backend) {
        var interp = xor(Backend.INTERP);
        var compiled = xor(backend);
        double[] a = losses(interp.trainer(), 20);
        double[] b = losses(compiled.trainer(), 20);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 * Math.max(1, Math.abs(a[i])), "step " + i);
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"JVM", "LLVM", "CUDA"})
    void aMistypedBatchIsAClearErrorBeforeCompiledCodeRuns(Backend backend) {
        var t = xor(backend).trainer();
        var e = assertThrows(ModelException.class, () -> t.step(Map.of("x", Tensor.of(new float[6], 3, 2), "y", BATCH.get("y"))));
        assertTrue(e.getMessage().contains("input 'y'") || e.getMessage().contains("input 'x'"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"INTERP", "JVM", "LLVM", "CUDA"})
    void evaluateGivesTheLossAndMetricEntriesValuesInOnePass(Backend backend) {
        var m = xor(backend);
        losses(m.trainer(), 3);
        var together = m.evaluate(BATCH);
        assertEquals(java.util.List.of("loss", "accuracy"), java.util.List.copyOf(together.keySet()));
        assertEquals(TrainStep.scalar(m.run("loss", BATCH)), together.get("loss"));
        assertEquals(TrainStep.scalar(m.run("accuracy", BATCH)), together.get("accuracy"));
    }

    @org.junit.jupiter.api.Test
    void llvmTrainsAsTheJvmDoes() {
        double[] jvm = losses(xor(Backend.JVM).trainer(), 30);
        double[] llvm = losses(xor(Backend.LLVM).trainer(), 30);
        // the same kernels, the same FMA chains: only libm's exp/log may move an ulp
        for (int i = 0; i < jvm.length; i++) assertEquals(jvm[i], llvm[i], 1e-6 * Math.max(1, Math.abs(jvm[i])), "step " + i);
    }

    @org.junit.jupiter.api.Test
    void aJvmStepAllocatesNoBuffersOnceWarm() {
        var m = ModelCompiler.create().compile(Path.of("../examples/mnist_mlp.model"), Backend.JVM).initParams();
        var t = m.trainer();
        var rnd = new java.util.Random(1);
        float[] x = new float[32 * 784];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
        int[] y = new int[32];
        for (int i = 0; i < y.length; i++) y[i] = i % 10;
        var batch = Map.of("x", Tensor.of(x, 32, 784), "y", Tensor.of(y, 32));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // until C2 has compiled a kernel, each of its vector operations is an object on the heap; small
        // kernels run once per step stay in C1 for thousands of steps, and allocate ~100 kB a step between them
        long perStep = Long.MAX_VALUE;
        for (int round = 0; round < 300 && perStep >= 200_000; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10; i++) t.step(batch);
            perStep = Math.min(perStep, (threads.getCurrentThreadAllocatedBytes() - before) / 10);
        }
        // no tensor or array per step: the params alone are 1 MB (and the optimiser state 2 MB), which a copy would show
        assertTrue(perStep < 200_000, "bytes allocated per step: " + perStep);
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"INTERP", "JVM", "LLVM", "CUDA"})
    void aStepOnRowsOfADatasetIsAStepOnThoseRowsGathered(Backend backend) {
        var data = Map.of("x", Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1, 0.5f, 0.5f}, 5, 2),
                "y", Tensor.of(new float[] {0, 1, 1, 0, 1}, 5, 1));
        long[][] batches = {{4, 1, 2}, {0, 3, 2}, {1, 1}, {2, 0, 4}};
        var gathered = xor(backend);
        var byRows = xor(backend);
        var g = gathered.trainer();
        var r = byRows.trainer();
        for (long[] rows : batches) {
            var batch = Map.of("x", Tensor.gatherRows(data.get("x"), rows), "y", Tensor.gatherRows(data.get("y"), rows));
            assertEquals(g.step(batch), r.step(data, rows));
        }
        assertEquals(gathered.paramValues(), byRows.paramValues());
        assertThrows(IndexOutOfBoundsException.class, () -> r.step(data, new long[] {5}));
    }
}
