package dev.modelc.api;

import dev.modelc.runtime.CounterRandom;
import dev.modelc.runtime.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled training step of a model: one call runs the forward pass, the loss, the gradient
 * of every param and the optimiser update. The params and this trainer's optimiser state stay in
 * the compiled step between calls (on the JVM backend, in the generated program's own arrays,
 * updated in place); the model sees the new params whenever it next reads them. Dropout draws
 * from the seed and the step count, so a run is reproducible.
 */
public final class TrainStep {
    private final CompiledModel model;
    private final StepRunner runner;
    private final Map<String, Tensor> initialState;
    private final List<String> params;
    private final long seed;
    private long steps;
    private boolean paramsNewer;

    TrainStep(CompiledModel model, StepRunner runner, Map<String, Tensor> initialState, long seed) {
        this.model = model;
        this.runner = runner;
        this.initialState = initialState;
        this.params = runner.held().stream().filter(n -> !initialState.containsKey(n)).toList();
        this.seed = seed;
    }

    /** The result of one step: the loss and each metric, on the batch before the update. */
    public record Result(double loss, Map<String, Double> metrics) {}

    /** One step on a batch of the model's inputs (e.g. {@code x} and {@code y}). */
    public Result step(Map<String, Tensor> batch) {
        prepare();
        runner.run(batch);
        return finish();
    }

    /**
     * One step on the samples {@code rows} of whole datasets, one tensor per input (its entries
     * along axis 0 are the samples): the batch is read where it is, not made. The same result as
     * {@code step} on the gathered rows.
     */
    public Result step(Map<String, Tensor> data, long[] rows) {
        prepare();
        runner.run(data, rows);
        return finish();
    }

    private void prepare() {
        model.attach(this);
        // the optimiser's t counts from 1 (Adam's bias correction divides by 1 - beta^t)
        runner.setCounters((float) (steps + 1), CounterRandom.mix(seed ^ CounterRandom.mix(steps)));
    }

    private Result finish() {
        paramsNewer = true;
        steps++;
        var metrics = new LinkedHashMap<String, Double>();
        for (var m : model.metrics()) metrics.put(m, runner.scalar(m));
        return new Result(runner.scalar("loss"), metrics);
    }

    /** How many steps have run. */
    public long steps() { return steps; }

    /** The optimiser state by name ({@code w1.m}, …): a read-only copy of the current values. */
    public Map<String, Tensor> state() {
        var out = new LinkedHashMap<String, Tensor>();
        for (var name : initialState.keySet()) out.put(name, runner.held().contains(name) ? runner.get(name) : initialState.get(name));
        return Collections.unmodifiableMap(out);
    }

    /** Continues from a saved state (a checkpoint): the optimiser tensors and the step count. */
    public void restore(Map<String, Tensor> saved, long stepsDone) {
        for (var e : initialState.entrySet()) {
            var t = saved.get(e.getKey());
            if (t == null) throw new ModelException("the checkpoint lacks optimiser state " + e.getKey());
            if (t.dtype() != e.getValue().dtype() || !Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new ModelException("optimiser state " + e.getKey() + " should be " + e.getValue().dtype() + Arrays.toString(e.getValue().shape()));
            }
        }
        for (var name : initialState.keySet()) if (runner.held().contains(name)) runner.put(name, saved.get(name));
        steps = stepsDone;
    }

    // ---- for CompiledModel, which owns the params while no step holds newer ones ----

    /** Copies the params this step has updated since the last call into {@code into}. */
    void pullParams(Map<String, Tensor> into) {
        if (!paramsNewer) return;
        for (var name : params) into.put(name, runner.get(name));
        paramsNewer = false;
    }

    /** Starts holding the model's current params. */
    void pushParams(Map<String, Tensor> from) {
        for (var name : params) runner.put(name, from.get(name));
        paramsNewer = false;
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
