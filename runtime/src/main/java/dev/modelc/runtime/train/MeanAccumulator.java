package dev.modelc.runtime.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sample-weighted means of named batch means: a batch of 28 counts 28 times less than one of 128.
 * Its sums are part of a checkpoint, so an epoch resumed halfway reports the same means.
 */
public final class MeanAccumulator {
    private final Map<String, Double> sums = new LinkedHashMap<>();
    private long samples;

    public MeanAccumulator() {}

    /** Continues from saved sums. */
    public MeanAccumulator(Map<String, Double> sums, long samples) {
        this.sums.putAll(sums);
        this.samples = samples;
    }

    void add(Map<String, Double> batchMeans, long batchSize) {
        batchMeans.forEach((k, v) -> sums.merge(k, v * batchSize, Double::sum));
        samples += batchSize;
    }

    public long samples() { return samples; }

    public Map<String, Double> sums() { return Map.copyOf(sums); }

    double mean(String name) { return samples == 0 ? Double.NaN : sums.getOrDefault(name, Double.NaN) / samples; }

    Map<String, Double> means() {
        var out = new LinkedHashMap<String, Double>();
        sums.forEach((k, v) -> out.put(k, v / samples));
        return out;
    }
}
