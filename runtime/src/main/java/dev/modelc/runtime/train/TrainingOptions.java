package dev.modelc.runtime.train;

/** How to train: samples per step, passes over the data, the seed of the shuffle, whether to shuffle. */
public record TrainingOptions(long batch, long epochs, long seed, boolean shuffle) {
    public TrainingOptions {
        if (batch < 1) throw new IllegalArgumentException("the batch size must be at least 1, not " + batch);
        if (epochs < 0) throw new IllegalArgumentException("the number of epochs must not be negative, not " + epochs);
    }
}
