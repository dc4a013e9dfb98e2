package dev.modelc.api;

import dev.modelc.runtime.ResidentProgram;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.cuda.CudaModule;
import dev.modelc.runtime.cuda.CudaRunner;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Map;

/**
 * A compiled entry's runner on the GPU, owning its module and its device memory: the garbage
 * collector cannot see device memory, so when this object becomes unreachable a {@link Cleaner}
 * frees the runner's blocks and unloads the module (a process that compiles many models would
 * otherwise run out of GPU memory).
 */
final class CudaResident implements ResidentProgram {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaRunner runner;

    CudaResident(CudaRunner runner, CudaModule module) {
        this.runner = runner;
        CLEANER.register(this, () -> {
            runner.close();
            module.close();
        });
    }

    @Override
    public List<String> residents() { return runner.residents(); }

    @Override
    public void put(String name, Tensor value) { runner.put(name, value); }

    @Override
    public void putScalar(String name, double value) { runner.putScalar(name, value); }

    @Override
    public void putScalar(String name, long value) { runner.putScalar(name, value); }

    @Override
    public Tensor get(String name) { return runner.get(name); }

    @Override
    public void run(Map<String, Tensor> inputs, Map<String, Long> dims) { runner.run(inputs, dims); }

    @Override
    public void run(Map<String, Tensor> inputs, long[] rows, Map<String, Long> dims) { runner.run(inputs, rows, dims); }

    @Override
    public Map<String, Tensor> results() { return runner.results(); }

    @Override
    public double scalar(String result) { return runner.scalar(result); }
}
