package dev.modelc.runtime.train;

import dev.modelc.runtime.data.Batches;
import dev.modelc.runtime.data.Dataset;
import dev.modelc.runtime.data.Splits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The epoch loop: each epoch steps through the training split in batches (shuffled from the seed
 * and the epoch number, the last partial batch kept), then evaluates the test split when there
 * is one. The order of samples depends only on the seed, so a run is reproducible, and one
 * resumed from a {@link Position} takes exactly the batches the uninterrupted run would have.
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    /**
     * What a run did: a report per epoch finished, and where it stopped (the end, or where
     * {@code stop} asked it to).
     */
    public record Outcome(List<EpochReport> reports, Position position, boolean stopped) {}

    /**
     * Trains from {@code from} to the end of epoch {@code options.epochs()}, checking {@code stop}
     * after every step. {@code epochEnd} hears the position after each epoch (to checkpoint).
     */
    public static Outcome run(Splits data, TrainingOptions options, Trainable model, TrainingListener listener,
                              Position from, BooleanSupplier stop, Consumer<Position> epochEnd) {
        var reports = new ArrayList<EpochReport>();
        Position at = from;
        for (long epoch = from.epoch(); epoch < options.epochs(); epoch++) {
            long start = System.nanoTime();
            var batches = options.shuffle()
                    ? Batches.shuffled(data.train(), options.batch(), options.seed(), epoch)
                    : Batches.inOrder(data.train(), options.batch());
            boolean resumed = epoch == from.epoch();
            var train = resumed ? new MeanAccumulator(from.sums(), from.samples()) : new MeanAccumulator();
            for (long b = resumed ? from.batches() : 0; b < batches.count(); b++) {
                long[] rows = batches.rows(b);
                train.add(model.step(data.train(), rows), rows.length);
                listener.stepDone(epoch, b + 1, batches.count(), train.mean("loss"), seconds(start));
                if (stop.getAsBoolean() && b + 1 < batches.count()) {
                    return new Outcome(reports, new Position(epoch, b + 1, train.sums(), train.samples()), true);
                }
            }
            double trained = seconds(start); // the steps' time: samples/s is training throughput, as frameworks report it
            Optional<Map<String, Double>> test = data.test().map(t -> evaluate(t, options.batch(), model));
            var report = new EpochReport(epoch + 1, options.epochs(), train.means(), test, train.samples(), trained);
            listener.epochDone(report);
            reports.add(report);
            at = new Position(epoch + 1, 0, Map.of(), 0);
            epochEnd.accept(at);
            if (stop.getAsBoolean()) return new Outcome(reports, at, epoch + 1 < options.epochs());
        }
        return new Outcome(reports, at, false);
    }

    /** The mean loss and metrics over a whole dataset, in order, a batch at a time. */
    public static Map<String, Double> evaluate(Dataset data, long batch, Trainable model) {
        var acc = new MeanAccumulator();
        for (Dataset b : Batches.inOrder(data, batch)) acc.add(model.evaluate(b), b.size());
        return acc.means();
    }

    private static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }
}
