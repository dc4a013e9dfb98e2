package dev.modelc.bench;

import dev.modelc.api.Backend;
import dev.modelc.api.ModelCompiler;
import dev.modelc.api.bench.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The forward pass (first output) and the training step of each example model at batch 128,
 * on every backend this build has; the interpreter is the baseline measured in the same run.
 * Run from the repository root: {@code bench/run.sh} (or {@code java -jar bench/target/benchmarks.jar}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:-DontCompileHugeMethods"})
public class ModelBenchmark {
    @Param({"mnist_mlp", "mnist_cnn", "binary_cnn", "xor", "linear_regression"})
    public String model;

    @Param({"interp", "jvm"})
    public String backend;

    @Param({"128"})
    public long batch;

    private Workload forward;
    private Workload train;

    @Setup(Level.Trial)
    public void compile() {
        var b = Backend.valueOf(backend.toUpperCase(java.util.Locale.ROOT));
        if (!b.available()) throw new IllegalStateException("backend " + backend + " is not in this build");
        var file = examples().resolve(model + ".model");
        var m = ModelCompiler.create().compile(file, b).initParams();
        forward = Workload.entry(m, m.outputs().get(0), batch);
        var t = ModelCompiler.create().compile(file, b).initParams();
        train = Workload.trainStep(t, batch);
    }

    @Benchmark
    public Object forward() { return forward.runOnce(); }

    @Benchmark
    public Object trainStep() { return train.runOnce(); }

    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples"))) return p.resolve("examples");
        }
        throw new IllegalStateException("run the benchmarks from inside the repository (no examples/ folder found)");
    }
}
