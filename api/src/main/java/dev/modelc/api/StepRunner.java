package dev.modelc.api;

import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A compiled training step that holds its params and optimiser state between runs: they are put
 * once, each run replaces them with their new values, and they are read back only on request
 * (for evaluation or a checkpoint).
 */
interface StepRunner {
    /** The names held (params and optimiser state the step reads), in the step's order. */
    List<String> held();

    /** Sets a held value. */
    void put(String name, Tensor value);

    /** A fresh tensor with a held value. */
    Tensor get(String name);

    /** Sets the step counter and dropout key inputs for the next run. */
    void setCounters(float step, long key);

    /** Runs the step on a batch (the model's inputs); afterwards the held values are the new ones. */
    void run(Map<String, Tensor> batch);

    /** Runs the step on the rows {@code rows} of each given tensor (entries along axis 0), as a batch. */
    default void run(Map<String, Tensor> data, long[] rows) {
        var batch = new java.util.HashMap<String, Tensor>();
        data.forEach((name, t) -> batch.put(name, Tensor.gatherRows(t, rows)));
        run(batch);
    }

    /** A scalar result (the loss, a metric) of the last run. */
    double scalar(String result);
}
