package dev.modelc.runtime.train;

import dev.modelc.runtime.data.Batches;
import dev.modelc.runtime.data.Dataset;
import dev.modelc.runtime.data.Splits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The epoch loop: each epoch steps through the training split in batches (shuffled from the seed
 * and the epoch number, the last partial batch kept), then evaluates the test split when there
 * is one. The order of samples depends only on the seed, so a run is reproducible.
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    /** Trains for {@code options.epochs()} epochs starting after {@code epochsDone}; returns one report per epoch run. */
    public static List<EpochReport> run(Splits data, TrainingOptions options, Trainable model, TrainingListener listener,
                                        long epochsDone) {
        var reports = new ArrayList<EpochReport>();
        for (long epoch = epochsDone; epoch < options.epochs(); epoch++) {
            long start = System.nanoTime();
            var batches = options.shuffle()
                    ? Batches.shuffled(data.train(), options.batch(), options.seed(), epoch)
                    : Batches.inOrder(data.train(), options.batch());
            var train = new MeanAccumulator();
            long done = 0;
            for (Dataset batch : batches) {
                train.add(model.step(batch), batch.size());
                listener.stepDone(epoch, ++done, batches.count(), train.mean("loss"), seconds(start));
            }
            Optional<Map<String, Double>> test = data.test().map(t -> evaluate(t, options.batch(), model));
            var report = new EpochReport(epoch + 1, options.epochs(), train.means(), test, train.samples(), seconds(start));
            listener.epochDone(report);
            reports.add(report);
        }
        return reports;
    }

    /** The mean loss and metrics over a whole dataset, in order, a batch at a time. */
    public static Map<String, Double> evaluate(Dataset data, long batch, Trainable model) {
        var acc = new MeanAccumulator();
        for (Dataset b : Batches.inOrder(data, batch)) acc.add(model.evaluate(b), b.size());
        return acc.means();
    }

    private static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }
}
