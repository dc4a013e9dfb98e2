package dev.modelc.runtime.train;

import java.util.Map;
import java.util.Optional;

/**
 * What one epoch did: the mean training loss and metrics over its samples, the same on the test
 * split when there is one, how many samples it saw and how long its training steps took
 * ({@code seconds}: the test evaluation after them is not counted, so {@link #samplesPerSecond}
 * is training throughput, comparable with what other frameworks report per epoch).
 */
public record EpochReport(long epoch, long epochs, Map<String, Double> train, Optional<Map<String, Double>> test,
                          long samples, double seconds) {
    /** The figures that describe the model now: the test split's when there is one. */
    public Map<String, Double> headline() { return test.orElse(train); }

    public double samplesPerSecond() { return seconds > 0 ? samples / seconds : 0; }
}
