package dev.modelc.cli;

import dev.modelc.Compilation;
import dev.modelc.Frontend;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.lower.Lowering;
import java.nio.file.Path;
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

    @Override
    public Integer call() {
        Function<Compilation, String> text = switch (stage) {
            case AST -> Compilation::astText;
            case TYPED -> Compilation::typedText;
            case GRAPH -> c -> graphs(c, false);
            case GRAD -> c -> graphs(c, true);
            default -> throw new UserError("stage '" + stage + "' is not available yet in this build");
        };
        var compilation = CheckCommand.check(Frontend.create(), file, spec.commandLine().getErr());
        if (compilation.hasErrors()) {
            return Main.USER_ERROR;
        }
        if (stage == Stage.GRAPH || stage == Stage.GRAD) {
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

    /**
     * The Graph IR of every model: "graph" shows the entries as lowered (outputs, loss, metrics;
     * grad expressions already expanded), "grad" adds the training step with its backward pass.
     */
    private String graphs(Compilation c, boolean withTrainStep) {
        var sb = new StringBuilder();
        for (var m : c.graphs()) {
            var entries = m.entries().stream()
                    .filter(g -> withTrainStep || !g.name().equals(Lowering.TRAIN_STEP))
                    .filter(g -> entry == null || g.name().equals(entry))
                    .toList();
            if (entry != null && entries.isEmpty()) {
                throw new UserError("model " + m.model() + " has no entry '" + entry + "'; its entries are: "
                        + String.join(", ", m.entryNames()));
            }
            sb.append(GraphPrinter.print(new GraphModule(m.model(), entries)));
        }
        return sb.toString();
    }
}
