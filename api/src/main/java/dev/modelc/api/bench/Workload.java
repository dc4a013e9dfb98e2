package dev.modelc.api.bench;

import dev.modelc.api.CompiledModel;
import dev.modelc.api.ModelException;
import dev.modelc.api.TensorSpec;
import dev.modelc.api.TrainStep;
import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One timed unit of work on a compiled model: an entry, or a training step, on the next of a few
 * fixed batches. Inputs are random but fixed by seeds (floats standard normal, integers 0 or 1,
 * so class labels stay in range); every dimension variable takes the batch size.
 */
public final class Workload {
    private final java.util.function.Supplier<Object> run;
    private final String description;

    private Workload(java.util.function.Supplier<Object> run, String description) {
        this.run = run;
        this.description = description;
    }

    /**
     * How many different batches a workload cycles through: training on one batch over and over
     * drives values subnormal and slows every framework (../shared/RECIPES.md).
     */
    static final int BATCHES = 8;

    public static Workload entry(CompiledModel model, String entry, long batch) {
        var batches = batches(model.inputs(entry), batch);
        int[] next = {0};
        return new Workload(() -> model.run(entry, batches.get(next[0]++ % BATCHES)), model.name() + " " + entry + " at batch " + batch);
    }

    public static Workload trainStep(CompiledModel model, long batch) {
        var batches = batches(model.inputs(), batch);
        TrainStep step = model.trainer();
        int[] next = {0};
        return new Workload(() -> step.step(batches.get(next[0]++ % BATCHES)), model.name() + " training step at batch " + batch);
    }

    private static List<Map<String, Tensor>> batches(List<TensorSpec> specs, long batch) {
        var out = new java.util.ArrayList<Map<String, Tensor>>();
        for (int i = 0; i < BATCHES; i++) out.add(inputs(specs, batch, 42 + i));
        return out;
    }

    /** Runs once and returns the result (for a benchmark harness to consume, so nothing is optimised away). */
    public Object runOnce() { return run.get(); }

    @Override
    public String toString() { return description; }

    static Map<String, Tensor> inputs(List<TensorSpec> specs, long batch, long seed) {
        var rnd = new Random(seed);
        var out = new LinkedHashMap<String, Tensor>();
        for (var s : specs) {
            long[] shape = s.shape().stream().mapToLong(d -> d.chars().allMatch(Character::isDigit) ? Long.parseLong(d) : batch).toArray();
            int n = Math.toIntExact(Tensor.elementCountOf(shape));
            out.put(s.name(), switch (s.dtype()) {
                case F32 -> {
                    var v = new float[n];
                    for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
                    yield Tensor.of(v, shape);
                }
                case F64 -> Tensor.of(rnd.doubles(n).map(x -> x * 2 - 1).toArray(), shape);
                case I32 -> Tensor.of(rnd.ints(n, 0, 2).toArray(), shape);
                case I64 -> Tensor.of(rnd.longs(n, 0, 2).toArray(), shape);
                case BOOL -> Tensor.zeros(DType.BOOL, shape);
                default -> throw new ModelException("cannot make benchmark data for " + s);
            });
        }
        return out;
    }
}
