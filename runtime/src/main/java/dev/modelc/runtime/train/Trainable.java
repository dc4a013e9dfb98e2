package dev.modelc.runtime.train;

import dev.modelc.runtime.data.Dataset;
import java.util.Map;

/**
 * A model as the training loop sees it, whatever backend runs it: one optimiser step on a batch,
 * and the loss and metrics of a batch without changing anything. Both return {@code loss} first,
 * then each metric by name, as batch means.
 */
public interface Trainable {
    Map<String, Double> step(Dataset batch);

    /**
     * One step on the samples {@code rows} of {@code data}: the same as {@code step(data.gather(rows))},
     * which is what it does unless the model can read the rows where they are (and so skip
     * making a batch).
     */
    default Map<String, Double> step(Dataset data, long[] rows) { return step(data.gather(rows)); }

    Map<String, Double> evaluate(Dataset batch);
}
