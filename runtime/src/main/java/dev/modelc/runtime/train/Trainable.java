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

    Map<String, Double> evaluate(Dataset batch);
}
