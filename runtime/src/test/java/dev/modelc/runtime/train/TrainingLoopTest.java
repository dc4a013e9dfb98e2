package dev.modelc.runtime.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.data.Dataset;
import dev.modelc.runtime.data.Splits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    /** A model that remembers the first sample of every batch it was given, and reports it as its loss. */
    static final class Recorder implements Trainable {
        final List<Float> seen = new ArrayList<>();

        @Override
        public Map<String, Double> step(Dataset batch) {
            float first = batch.features().toFloatArray()[0];
            seen.add(first);
            var m = new LinkedHashMap<String, Double>();
            m.put("loss", (double) first);
            m.put("accuracy", batch.size() / 10.0);
            return m;
        }

        @Override
        public Map<String, Double> evaluate(Dataset batch) { return Map.of("loss", 0.0); }
    }

    private static Splits data(int n) {
        var x = new float[n];
        var y = new int[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return new Splits(new Dataset(Tensor.of(x, n, 1), Tensor.of(y, n)), Optional.empty());
    }

    @Test
    void everySampleOncePerEpochInASeededOrderWithTheLastPartialBatch() {
        var r = new Recorder();
        var outcome = TrainingLoop.run(data(10), new TrainingOptions(4, 2, 7, true), r, TrainingListener.NONE, Position.START, () -> false, p -> {});
        assertEquals(6, r.seen.size(), "3 batches (4, 4, 2) per epoch");
        assertEquals(2, outcome.reports().size());
        assertEquals(10, outcome.reports().get(0).samples());
        var again = new Recorder();
        TrainingLoop.run(data(10), new TrainingOptions(4, 2, 7, true), again, TrainingListener.NONE, Position.START, () -> false, p -> {});
        assertEquals(r.seen, again.seen);
        assertNotEquals(r.seen.subList(0, 3), r.seen.subList(3, 6), "each epoch has its own order");
    }

    @Test
    void aRunStoppedMidEpochAndResumedTakesTheSameBatchesAndReportsTheSameMeans(@TempDir Path dir) throws Exception {
        var options = new TrainingOptions(3, 3, 11, true);
        var whole = new Recorder();
        var uninterrupted = TrainingLoop.run(data(10), options, whole, TrainingListener.NONE, Position.START, () -> false, p -> {});

        var first = new Recorder();
        var stopped = TrainingLoop.run(data(10), options, first, TrainingListener.NONE, Position.START, () -> first.seen.size() == 6, p -> {});
        assertTrue(stopped.stopped());
        assertEquals(new Position(1, 2, stopped.position().sums(), 6), stopped.position());

        var file = dir.resolve("c.safetensors");
        new Checkpoint("M", 11, 3, 6, stopped.position(), Map.of("w", Tensor.scalar(1f)), Map.of("w.m", Tensor.scalar(2f))).write(file);
        var back = Checkpoint.read(file);
        assertEquals(stopped.position(), back.position());
        assertEquals(6, back.steps());

        var rest = new Recorder();
        var resumed = TrainingLoop.run(data(10), options, rest, TrainingListener.NONE, back.position(), () -> false, p -> {});
        var all = new ArrayList<>(first.seen);
        all.addAll(rest.seen);
        assertEquals(whole.seen, all);
        assertEquals(uninterrupted.reports().getLast(), withSeconds(resumed.reports().getLast(), uninterrupted.reports().getLast().seconds()));
        assertEquals(uninterrupted.reports().get(1).train(), resumed.reports().get(0).train(), "the interrupted epoch's means");
    }

    @Test
    void aFileThatIsNotACheckpointIsRefused(@TempDir Path dir) throws Exception {
        var file = dir.resolve("p.safetensors");
        dev.modelc.runtime.io.SafeTensors.write(file, Map.of("w", Tensor.scalar(1f)));
        var e = assertThrows(dev.modelc.runtime.io.TensorFormatException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("not a modelc training checkpoint"), e.getMessage());
    }

    @Test
    void progressLinesAndTheFinalLine() {
        var sw = new java.io.StringWriter();
        var p = new ConsoleProgress(new java.io.PrintWriter(sw), false, 4);
        for (long e = 1; e <= 200; e++) p.epochDone(new EpochReport(e, 200, Map.of("loss", 0.5), Optional.empty(), 8, 0.5));
        assertEquals(50, sw.toString().lines().count(), "at most about 50 lines for 200 epochs");
        assertTrue(sw.toString().lines().toList().getLast().startsWith("epoch 200/200 loss=0.5000"), sw.toString());
        assertEquals("final loss=0.3121 accuracy=0.8874 samples_per_s=100 seconds=12.7",
                ConsoleProgress.finalLine(new LinkedHashMap<>(Map.of("loss", 0.3121)) {{ put("accuracy", 0.8874); }}, 1270, 12.7));
    }

    private static EpochReport withSeconds(EpochReport r, double s) {
        return new EpochReport(r.epoch(), r.epochs(), r.train(), r.test(), r.samples(), s);
    }
}
