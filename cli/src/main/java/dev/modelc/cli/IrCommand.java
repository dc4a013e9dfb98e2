package dev.modelc.cli;

import dev.modelc.Compilation;
import dev.modelc.Frontend;
import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.codegen.llvm.LlvmCompiler;
import dev.modelc.codegen.llvm.LlvmTarget;
import dev.modelc.codegen.llvm.PtxCompiler;
import dev.modelc.fuse.FusedPrinter;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopPrinter;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.lower.Lowering;
import dev.modelc.opt.OpCounts;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ir", mixinStandardHelpOptions = true,
        description = "Print the intermediate representation of one compiler stage.")
final class IrCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @Option(names = "--stage", required = true, paramLabel = "STAGE",
            description = {
                "The stage to print, one of: ${COMPLETION-CANDIDATES}.",
                "ast: the syntax tree; typed: every binding with its type; graph: Graph IR;"
                        + " grad: with the gradients; opt: simplified; fused: grouped into kernels;"
                        + " loops: Loop IR; jvm: bytecode listing; llvm: LLVM IR; ptx: PTX."
            })
    Stage stage;

    @Option(names = "--entry", paramLabel = "NAME",
            description = "Show only this entry (an output, the loss or the training step) of the model.")
    String entry;

    @Option(names = "--cpu", paramLabel = "NAME",
            description = "With --stage llvm: the CPU to optimise for (x86-64-v3, znver3, generic, aarch64[:CPU]); default: this machine's."
                    + " With --stage ptx: the GPU architecture (sm_80, sm_90, …); default: sm_80.")
    String cpu;

    @Option(names = "--counts",
            description = "With --stage opt: instead of the IR, a table of op counts before and after simplification.")
    boolean counts;

    @Override
    public Integer call() {
        Function<Compilation, String> text = switch (stage) {
            case AST -> Compilation::astText;
            case TYPED -> Compilation::typedText;
            case GRAPH -> c -> graphs(c.graphs(), false);
            case GRAD -> c -> graphs(c.graphs(), true);
            case OPT -> c -> counts ? counts(c) : graphs(c.simplified(), true);
            case FUSED -> c -> perEntry(c.simplified(), g -> FusedPrinter.print(Fusion.fuse(g)));
            case LOOPS -> c -> perEntry(c.simplified(), g -> LoopPrinter.print(LoopLowering.lower(Fusion.fuse(g))));
            case JVM -> c -> perEntry(c.simplified(), g -> JvmCompiler.listing(LoopLowering.lower(Fusion.fuse(g))));
            case LLVM -> c -> perEntry(c.simplified(), g -> LlvmCompiler.listing(LoopLowering.lower(Fusion.fuse(g)), target()));
            case PTX -> c -> perEntry(c.simplified(), g -> ptxListing(PtxCompiler.lower(Fusion.fuse(g))));
        };
        var compilation = CheckCommand.check(Frontend.create(), file, spec.commandLine().getErr());
        if (compilation.hasErrors()) {
            return Main.USER_ERROR;
        }
        if (counts && stage != Stage.OPT) throw new UserError("--counts goes with --stage opt");
        if (stage.compareTo(Stage.GRAPH) >= 0) {
            compilation = compilation.lower();
            if (compilation.hasErrors()) {
                spec.commandLine().getErr().print(compilation.renderDiagnostics());
                spec.commandLine().getErr().flush();
                return Main.USER_ERROR;
            }
        }
        var out = spec.commandLine().getOut();
        out.print(text.apply(compilation));
        out.flush();
        return 0;
    }

    private String ptxListing(dev.modelc.loops.LoopProgram p) {
        try {
            return PtxCompiler.listing(p, cpu == null ? PtxCompiler.DEFAULT_ARCH : cpu);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new UserError(e.getMessage());
        }
    }

    private LlvmTarget target() {
        try {
            return LlvmTarget.named(cpu);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * The Graph IR of every model: "graph" shows the entries as lowered (outputs, loss, metrics;
     * grad expressions already expanded), "grad" adds the training step with its backward pass.
     */
    private String graphs(List<GraphModule> modules, boolean withTrainStep) {
        var sb = new StringBuilder();
        for (var m : modules) sb.append(GraphPrinter.print(new GraphModule(m.model(), selected(m, withTrainStep))));
        return sb.toString();
    }

    /** A later stage's text of every selected entry (the training step included), model by model. */
    private String perEntry(List<GraphModule> modules, Function<Graph, String> text) {
        var sb = new StringBuilder();
        for (var m : modules) {
            sb.append("// model ").append(m.model()).append('\n');
            for (var g : selected(m, true)) sb.append(text.apply(g));
        }
        return sb.toString();
    }

    /** Per entry, the op counts before simplification (the grad stage) and after (the opt stage). */
    private String counts(Compilation c) {
        var sb = new StringBuilder();
        var after = c.simplified();
        for (int i = 0; i < after.size(); i++) {
            var before = c.graphs().get(i);
            for (var g : selected(after.get(i), true)) {
                sb.append("model ").append(before.model()).append(", entry ").append(g.name()).append(":\n");
                sb.append(OpCounts.table(OpCounts.of(before.entry(g.name()).orElseThrow()), OpCounts.of(g))).append('\n');
            }
        }
        return sb.toString();
    }

    private List<Graph> selected(GraphModule m, boolean withTrainStep) {
        var entries = m.entries().stream()
                .filter(g -> withTrainStep || !g.name().equals(Lowering.TRAIN_STEP))
                .filter(g -> entry == null || g.name().equals(entry))
                .toList();
        if (entry != null && entries.isEmpty()) {
            throw new UserError("model " + m.model() + " has no entry '" + entry + "'; its entries are: "
                    + String.join(", ", m.entryNames()));
        }
        return entries;
    }
}
