package dev.modelc.graph;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text form of the Graph IR, one node per line:
 * <pre>
 * entry logits {
 *   %0 = input[name="x"] : f32[B, 784]
 *   %4 = broadcast[dims=[1]](%3) : f32[B, 256]
 *   %5 = add(%2, %4) : f32[B, 256]
 *   return logits = %5
 * }
 * </pre>
 * {@link GraphParser} reads it back to an equal graph.
 */
public final class GraphPrinter {
    private GraphPrinter() {}

    public static String print(GraphModule m) {
        var sb = new StringBuilder("model ").append(m.model()).append('\n');
        for (var g : m.entries()) sb.append('\n').append(print(g));
        return sb.toString();
    }

    public static String print(Graph g) {
        var sb = new StringBuilder("entry ").append(g.name()).append(" {\n");
        for (var n : g.nodes()) sb.append("  ").append(line(n)).append('\n');
        sb.append("  return ").append(g.results().stream().map(r -> r.name() + " = %" + r.value())
                .collect(Collectors.joining(", "))).append("\n}\n");
        return sb.toString();
    }

    public static String line(Node n) {
        var sb = new StringBuilder("%").append(n.id()).append(" = ").append(OpText.mnemonic(n.op()));
        Map<String, String> attrs = OpText.attributes(n.op(), n.type());
        if (!attrs.isEmpty()) {
            sb.append('[').append(attrs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", "))).append(']');
        }
        if (!n.inputs().isEmpty()) {
            sb.append('(').append(n.inputs().stream().map(i -> "%" + i).collect(Collectors.joining(", "))).append(')');
        }
        return sb.append(" : ").append(n.type()).toString();
    }
}
