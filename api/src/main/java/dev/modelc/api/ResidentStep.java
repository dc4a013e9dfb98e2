package dev.modelc.api;

import dev.modelc.codegen.jvm.JvmProgram;
import dev.modelc.graph.Graph;
import dev.modelc.graph.Op;
import dev.modelc.interp.Interpreter;
import dev.modelc.interp.InterpreterException;
import dev.modelc.lower.Lowering;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.ResidentRunner;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link StepRunner} on the JVM backend: the held values live in the generated program's own
 * arrays ({@link ResidentRunner}), so a step copies in only the batch and allocates no tensors.
 */
final class ResidentStep implements StepRunner {
    private final String entry;
    private final ResidentRunner runner;
    private final Function<Map<String, Tensor>, Map<String, Long>> batchDims;
    private final List<String> held;

    ResidentStep(Graph graph, JvmProgram program, Set<String> held) {
        this.entry = graph.name();
        var resident = new HashSet<>(held);
        resident.add(Lowering.STEP);
        resident.add(Lowering.KEY);
        this.runner = program.resident(resident);
        this.held = runner.residents().stream().filter(held::contains).toList();
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
        if (runner.residents().contains(Lowering.STEP)) runner.putScalar(Lowering.STEP, (double) step);
        if (runner.residents().contains(Lowering.KEY)) runner.putScalar(Lowering.KEY, key);
    }

    @Override
    public void run(Map<String, Tensor> batch) {
        Map<String, Long> dims;
        try {
            dims = batchDims.apply(batch);
        } catch (InterpreterException e) {
            throw new ModelException(entry + ": " + e.getMessage(), e);
        }
        runner.run(batch, dims);
    }

    @Override
    public double scalar(String result) { return runner.scalar(result); }
}
