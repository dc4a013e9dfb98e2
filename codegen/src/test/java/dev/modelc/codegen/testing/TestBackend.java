package dev.modelc.codegen.testing;

import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.codegen.llvm.LlvmCompiler;
import dev.modelc.codegen.llvm.PtxCompiler;
import dev.modelc.runtime.cuda.CudaModule;
import dev.modelc.runtime.cuda.CudaRunner;
import java.util.List;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.ResidentRunner;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backends that compile Loop IR, as the agreement tests run them: each compiles a program
 * into something that runs it, and says how closely it must agree with the evaluator.
 */
public enum TestBackend {
    /** Bytecode and the Vector API: Java's {@code Math}, as the evaluator, so always bit for bit. */
    JVM(TestBackend::jvm, false),
    /** Native code through LLVM: glibc's libm for the library functions, so those may differ slightly. */
    LLVM(TestBackend::llvm, true),
    /**
     * The GPU backend's kernels and launch plans compiled for this CPU and run by the CUDA
     * runtime's {@code CudaRunner} on a simulated device ({@code SimulatedGpu}): libm as LLVM's.
     */
    GPU_SIMULATED(TestBackend::gpuSimulated, true);

    private final Function<LoopProgram, Compiled> compiler;
    private final boolean ownMathLibrary;

    TestBackend(Function<LoopProgram, Compiled> compiler, boolean ownMathLibrary) {
        this.compiler = compiler;
        this.ownMathLibrary = ownMathLibrary;
    }

    private static Compiled jvm(LoopProgram p) {
        var program = JvmCompiler.compile(p);
        return new Compiled(program::run, program::resident);
    }

    private static Compiled llvm(LoopProgram p) {
        var program = LlvmCompiler.compile(p);
        return new Compiled(program::run, program::resident);
    }

    private static Compiled gpuSimulated(LoopProgram p) {
        var gpu = PtxCompiler.simulate(p.entry(), List.of(p));
        var runner = new CudaRunner(gpu.plans().get(p.entry()), CudaModule.load(gpu, p.entry(), ""), List.of());
        return new Compiled((inputs, dims) -> {
            runner.run(inputs, dims);
            return runner.results();
        }, names -> {
            throw new UnsupportedOperationException("resident inputs on the simulated GPU are CudaRunner's, not a ResidentRunner");
        });
    }

    /** The backends that run programs on the CPU, with {@code ResidentRunner}s. */
    public static List<TestBackend> cpu() { return List.of(JVM, LLVM); }

    /** A compiled program: runs with inputs copied in and results out, or with resident inputs. */
    public record Compiled(Runner runner, Residents residents) {
        public Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Long> dims) { return runner.run(inputs, dims); }

        public ResidentRunner resident(Collection<String> names) { return residents.resident(names); }
    }

    public interface Runner {
        Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Long> dims);
    }

    public interface Residents {
        ResidentRunner resident(Collection<String> names);
    }

    /** Compiles {@code p}; throws UnsupportedOperationException for what the backend (or the evaluator) does not define. */
    public Compiled compile(LoopProgram p) { return compiler.apply(p); }

    /**
     * How many units in the last place a float result of {@code p} may be from the evaluator's: 0
     * (bit for bit), or 2 where the backend has its own math library and {@code p} calls it.
     */
    public int ulps(LoopProgram p) { return ownMathLibrary && LibraryCalls.usedBy(p) ? 2 : 0; }

    /** Every case once per backend, the backend as the first argument: a case is an {@link Arguments} or a single value. */
    public static Stream<Arguments> each(Stream<?> cases) {
        var list = cases.toList();
        return Stream.of(values()).flatMap(backend -> backend.with(list.stream()));
    }

    /** The cases for this backend only, as {@link #each} gives them. */
    public Stream<Arguments> with(Stream<?> cases) {
        return cases.map(c -> {
            Object[] args = c instanceof Arguments a ? a.get() : new Object[] {c};
            Object[] withBackend = new Object[args.length + 1];
            withBackend[0] = this;
            System.arraycopy(args, 0, withBackend, 1, args.length);
            return Arguments.of(withBackend);
        });
    }
}
