package dev.modelc.runtime.train;

/** Hears how training goes, for progress output; every method may be left out. */
public interface TrainingListener {
    /** After each step; {@code runningLoss} is the mean loss of the epoch so far. */
    default void stepDone(long epoch, long batchesDone, long batches, double runningLoss, double seconds) {}

    default void epochDone(EpochReport report) {}

    TrainingListener NONE = new TrainingListener() {};
}
