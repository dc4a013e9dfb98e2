package dev.modelc.api;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.data.Dataset;
import dev.modelc.runtime.data.FeatureSpec;
import dev.modelc.runtime.train.Trainable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled model fed from a dataset: the first input takes the features, the second the labels
 * (docs/language.md, "Data conventions"). Steps go through the model's {@link TrainStep};
 * evaluation runs the loss and the metrics together ({@link CompiledModel#evaluate}).
 */
public final class DatasetTrainer implements Trainable {
    private final CompiledModel model;
    private final TrainStep step;
    private final String features;
    private final String labels;

    private DatasetTrainer(CompiledModel model, TrainStep step) {
        this.model = model;
        this.step = step;
        var specs = specs(model);
        this.features = specs.get(0).name();
        this.labels = specs.get(1).name();
    }

    /** A trainer over {@code model}'s params, starting from {@code step}'s optimiser state. */
    public static DatasetTrainer of(CompiledModel model, TrainStep step) { return new DatasetTrainer(model, step); }

    /** A trainer that only evaluates (no training step is compiled). */
    public static DatasetTrainer evaluating(CompiledModel model) { return new DatasetTrainer(model, null); }

    /**
     * What the model's first two inputs take per sample: their element types and shapes without
     * the leading batch axis, which must be a dimension variable ({@code x: f32[B, 784]}).
     */
    public static List<FeatureSpec> specs(CompiledModel model) {
        var inputs = model.inputs();
        if (inputs.size() < 2) {
            throw new ModelException("model " + model.name() + " has " + inputs.size()
                    + " input(s); training on a dataset needs two: the features, then the labels");
        }
        return inputs.subList(0, 2).stream().map(DatasetTrainer::perSample).toList();
    }

    private static FeatureSpec perSample(TensorSpec s) {
        if (s.shape().isEmpty() || s.shape().get(0).chars().allMatch(Character::isDigit)) {
            throw new ModelException("input " + s + " has no batch axis: its first dimension should be a"
                    + " dimension variable such as B, bound by the batch size");
        }
        var rest = s.shape().subList(1, s.shape().size());
        long[] dims = new long[rest.size()];
        for (int i = 0; i < dims.length; i++) {
            try {
                dims[i] = Long.parseLong(rest.get(i));
            } catch (NumberFormatException e) {
                throw new ModelException("input " + s + ": only the first axis may vary with the data, but axis "
                        + (i + 1) + " is " + rest.get(i));
            }
        }
        return new FeatureSpec(s.name(), s.dtype(), dims);
    }

    @Override
    public Map<String, Double> step(Dataset batch) { return values(step.step(feed(batch))); }

    @Override
    public Map<String, Double> step(Dataset data, long[] rows) { return values(step.step(feed(data), rows)); }

    private static Map<String, Double> values(TrainStep.Result r) {
        var out = new LinkedHashMap<String, Double>();
        out.put("loss", r.loss());
        out.putAll(r.metrics());
        return out;
    }

    @Override
    public Map<String, Double> evaluate(Dataset batch) { return model.evaluate(feed(batch)); }

    private Map<String, Tensor> feed(Dataset batch) {
        return Map.of(features, batch.features(), labels, batch.labels());
    }
}
