package dev.modelc.runtime.train;

import java.util.Map;

/**
 * Where a training run stands: in epoch {@code epoch} (0-based), {@code batches} batches done,
 * with the running sums of that epoch's figures. The batch order depends only on the seed and the
 * epoch, so this is all a resumed run needs to take the same next batch.
 */
public record Position(long epoch, long batches, Map<String, Double> sums, long samples) {
    public Position {
        sums = Map.copyOf(sums);
        if (epoch < 0 || batches < 0 || samples < 0) throw new IllegalArgumentException("negative position " + epoch + "/" + batches);
    }

    public static final Position START = new Position(0, 0, Map.of(), 0);
}
