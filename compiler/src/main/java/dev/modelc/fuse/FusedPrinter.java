package dev.modelc.fuse;

import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Op;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text form of a fused graph ({@code modelc ir --stage fused}): per kernel, its kind, the
 * node it stores and where, and the nodes computed inline; then aliases and the slot count.
 */
public final class FusedPrinter {
    private FusedPrinter() {}

    public static String print(FusedGraph f) {
        var g = f.graph();
        var byId = g.byId();
        var sb = new StringBuilder("entry ").append(g.name()).append(" {\n");
        for (var n : g.nodes()) {
            if (n.op() instanceof Op.Input) sb.append("  ").append(GraphPrinter.line(n)).append('\n');
        }
        for (int k = 0; k < f.kernels().size(); k++) {
            var kernel = f.kernels().get(k);
            sb.append("  kernel k").append(k).append(' ').append(kernel.kind().name().toLowerCase(Locale.ROOT))
                    .append(" -> ").append(destination(f, kernel.root())).append('\n');
            for (int in : kernel.inlined()) sb.append("    inline ").append(GraphPrinter.line(byId.get(in))).append('\n');
            if (kernel.hasEpilogue()) {
                sb.append("    tile   ").append(GraphPrinter.line(byId.get(kernel.op()))).append('\n');
                for (int in : kernel.epilogue()) sb.append("    epilog ").append(GraphPrinter.line(byId.get(in))).append('\n');
            }
            sb.append("    store  ").append(GraphPrinter.line(byId.get(kernel.root()))).append('\n');
        }
        f.aliases().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e ->
                sb.append("  alias ").append(GraphPrinter.line(byId.get(e.getKey()))).append('\n'));
        long slots = f.slots().values().stream().distinct().count();
        sb.append("  // ").append(f.kernels().size()).append(" kernels, ").append(slots).append(" slots for ")
                .append(f.slots().size()).append(" temporaries\n");
        if (!f.inPlace().isEmpty()) sb.append("  // ").append(f.inPlace().size()).append(" results written over their inputs\n");
        sb.append("  return ").append(g.results().stream().map(r -> r.name() + " = %" + r.value()).collect(Collectors.joining(", ")))
                .append("\n}\n");
        return sb.toString();
    }

    private static String destination(FusedGraph f, int root) {
        Integer input = f.inPlace().get(root);
        if (input == null) return "slot " + f.slots().get(root);
        return "in place of " + ((Op.Input) f.graph().node(input).op()).name();
    }
}
