package dev.modelc.api;

import dev.modelc.lower.Lowering;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link StepRunner} over any {@link Executable}: the held values are tensors in a map, swapped for the results after each run. */
final class HeldTensors implements StepRunner {
    private final Executable step;
    private final Map<String, Tensor> held = new LinkedHashMap<>();
    private final Map<String, Tensor> counters = new HashMap<>();
    private Map<String, Tensor> last = Map.of();

    HeldTensors(Executable step, Map<String, Tensor> initial) {
        this.step = step;
        held.putAll(initial);
    }

    @Override
    public List<String> held() { return List.copyOf(held.keySet()); }

    @Override
    public void put(String name, Tensor value) { held.put(name, value); }

    @Override
    public Tensor get(String name) { return held.get(name); }

    @Override
    public void setCounters(float step, long key) {
        counters.put(Lowering.STEP, Tensor.scalar(step));
        counters.put(Lowering.KEY, Tensor.scalar(key));
    }

    @Override
    public void run(Map<String, Tensor> batch) {
        var inputs = new HashMap<>(batch);
        inputs.putAll(held);
        inputs.putAll(counters);
        last = step.run(inputs);
        for (var name : held.keySet()) {
            var next = last.get(name);
            if (next != null) held.put(name, next);
        }
    }

    @Override
    public double scalar(String result) { return TrainStep.scalar(last.get(result)); }
}
