package dev.modelc.api;

import dev.modelc.lower.Lowering;
import dev.modelc.runtime.CounterRandom;
import dev.modelc.runtime.Tensor;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compiled training step of a model: one call runs the forward pass, the loss, the gradient
 * of every param and the optimiser update, then replaces the model's params and this trainer's
 * optimiser state with the new values. Dropout draws from the seed and the step count, so a run
 * is reproducible.
 */
public final class TrainStep {
    private final CompiledModel model;
    private final Executable executable;
    private final Map<String, Tensor> state;
    private final long seed;
    private long steps;

    TrainStep(CompiledModel model, Executable executable, Map<String, Tensor> state, long seed) {
        this.model = model;
        this.executable = executable;
        this.state = state;
        this.seed = seed;
    }

    /** The result of one step: the loss and each metric, on the batch before the update. */
    public record Result(double loss, Map<String, Double> metrics) {}

    /** One step on a batch of the model's inputs (e.g. {@code x} and {@code y}). */
    public Result step(Map<String, Tensor> batch) {
        var inputs = new HashMap<String, Tensor>(batch);
        inputs.putAll(model.paramValues());
        inputs.putAll(state);
        // the optimiser's t counts from 1 (Adam's bias correction divides by 1 - beta^t)
        inputs.put(Lowering.STEP, Tensor.scalar((float) (steps + 1)));
        inputs.put(Lowering.KEY, Tensor.scalar(CounterRandom.mix(seed ^ CounterRandom.mix(steps))));
        var out = executable.run(inputs);
        var params = model.mutableParams();
        for (var name : params.keySet()) if (out.containsKey(name)) params.put(name, out.get(name));
        for (var name : state.keySet()) state.put(name, out.get(name));
        steps++;
        var metrics = new LinkedHashMap<String, Double>();
        for (var m : model.metrics()) metrics.put(m, scalar(out.get(m)));
        return new Result(scalar(out.get("loss")), metrics);
    }

    /** How many steps have run. */
    public long steps() { return steps; }

    /** The optimiser state by name ({@code w1.m}, …), read-only. */
    public Map<String, Tensor> state() { return Collections.unmodifiableMap(state); }

    /** Continues from a saved state (a checkpoint): the optimiser tensors and the step count. */
    public void restore(Map<String, Tensor> saved, long stepsDone) {
        for (var e : state.entrySet()) {
            var t = saved.get(e.getKey());
            if (t == null) throw new ModelException("the checkpoint lacks optimiser state " + e.getKey());
            if (t.dtype() != e.getValue().dtype() || !java.util.Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new ModelException("optimiser state " + e.getKey() + " should be " + e.getValue().dtype() + java.util.Arrays.toString(e.getValue().shape()));
            }
        }
        for (var name : state.keySet()) state.put(name, saved.get(name));
        steps = stepsDone;
    }

    static double scalar(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> t.getFloat();
            case F64 -> t.getDouble();
            case I32 -> t.getInt();
            case I64 -> t.getLong();
            case BOOL -> t.getBoolean() ? 1 : 0;
            default -> throw new IllegalStateException("no scalar of " + t.dtype());
        };
    }
}
