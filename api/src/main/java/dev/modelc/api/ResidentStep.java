package dev.modelc.api;

import dev.modelc.graph.Graph;
import dev.modelc.graph.Op;
import dev.modelc.interp.Interpreter;
import dev.modelc.interp.InterpreterException;
import dev.modelc.lower.Lowering;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.ResidentProgram;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link StepRunner} on a Loop IR backend: the held values live in the compiled program's own
 * storage ({@link ResidentProgram}: Java arrays, native memory, or GPU memory), so a step copies in
 * only the batch and allocates no tensors.
 */
final class ResidentStep implements StepRunner {
    private final String entry;
    private final ResidentProgram runner;
    private final Function<Map<String, Tensor>, Map<String, Long>> batchDims;
    private final List<String> held;
    /** Whether the step reads the step counter and the dropout key (a model without Adam or dropout may not). */
    private final boolean readsStep, readsKey;
    private Checked lastChecked;
    private Map<String, Long> checkedDims;

    ResidentStep(Graph graph, Executables.LoopBackendProgram program, Set<String> held) {
        this.entry = graph.name();
        var resident = new HashSet<>(held);
        resident.add(Lowering.STEP);
        resident.add(Lowering.KEY);
        this.runner = program.resident(resident);
        this.held = runner.residents().stream().filter(held::contains).toList();
        this.readsStep = runner.residents().contains(Lowering.STEP);
        this.readsKey = runner.residents().contains(Lowering.KEY);
        var batch = new HashSet<String>();
        for (var n : graph.inputs()) if (n.op() instanceof Op.Input in && in.role() == Op.Role.INPUT) batch.add(in.name());
        this.batchDims = Interpreter.inputBinder(graph, batch);
    }

    @Override
    public List<String> held() { return held; }

    @Override
    public void put(String name, Tensor value) { runner.put(name, value); }

    @Override
    public Tensor get(String name) { return runner.get(name); }

    @Override
    public void setCounters(float step, long key) {
        if (readsStep) runner.putScalar(Lowering.STEP, (double) step);
        if (readsKey) runner.putScalar(Lowering.KEY, key);
    }

    @Override
    public void run(Map<String, Tensor> batch) { runner.run(batch, bind(batch)); }

    @Override
    public void run(Map<String, Tensor> data, long[] rows) {
        var key = new Checked(List.copyOf(data.values()), rows.length);
        if (!key.equals(lastChecked)) {
            // check one real batch of these tensors per row count (twice an epoch); other steps only gather
            var batch = new java.util.HashMap<String, Tensor>();
            data.forEach((name, t) -> batch.put(name, Tensor.gatherRows(t, rows)));
            checkedDims = bind(batch);
            lastChecked = key;
        }
        runner.run(data, rows, checkedDims);
    }

    private Map<String, Long> bind(Map<String, Tensor> batch) {
        try {
            return batchDims.apply(batch);
        } catch (InterpreterException e) {
            throw new ModelException(entry + ": " + e.getMessage(), e);
        }
    }

    /** What a batch check depends on: the tensors (by identity) and the number of rows. */
    private record Checked(List<Tensor> tensors, int rows) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Checked c) || c.rows != rows || c.tensors.size() != tensors.size()) return false;
            for (int i = 0; i < tensors.size(); i++) if (c.tensors.get(i) != tensors.get(i)) return false;
            return true;
        }

        @Override
        public int hashCode() { return rows; }
    }

    @Override
    public double scalar(String result) { return runner.scalar(result); }
}
