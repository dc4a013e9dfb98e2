package dev.modelc.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Checks a graph's invariants: ids unique, every operand defined before use (SSA), every result
 * defined, result names unique, input names unique, and every node's type agreeing with its
 * op's rule ({@link TypeRules}). Tests run it after every pass.
 */
public final class Verifier {
    private Verifier() {}

    /** Every problem found, each naming the node; empty when the graph is well formed. */
    public static List<String> problems(Graph g) {
        var out = new ArrayList<String>();
        var types = new HashMap<Integer, TensorType>();
        var inputNames = new HashSet<String>();
        for (var n : g.nodes()) {
            String where = g.name() + ": " + GraphPrinter.line(n) + ": ";
            if (types.containsKey(n.id())) out.add(where + "%" + n.id() + " is defined twice");
            var in = new ArrayList<TensorType>();
            boolean ok = true;
            for (int i : n.inputs()) {
                var t = types.get(i);
                if (t == null) {
                    out.add(where + "operand %" + i + " is not defined before use");
                    ok = false;
                }
                in.add(t);
            }
            if (n.op() instanceof Op.Input input && !inputNames.add(input.role() + " " + input.name())) {
                out.add(where + "input '" + input.name() + "' appears twice");
            }
            if (ok) {
                String problem = TypeRules.check(n, in);
                if (problem != null) out.add(where + problem);
            }
            types.put(n.id(), n.type());
        }
        var names = new HashSet<String>();
        for (var r : g.results()) {
            if (!types.containsKey(r.value())) out.add(g.name() + ": result " + r.name() + " = %" + r.value() + " is not defined");
            if (!names.add(r.name())) out.add(g.name() + ": result " + r.name() + " appears twice");
        }
        return out;
    }

    /** Throws IllegalStateException listing every problem. */
    public static Graph verify(Graph g) {
        var p = problems(g);
        if (!p.isEmpty()) throw new IllegalStateException("invalid graph:\n  " + String.join("\n  ", p));
        return g;
    }

    public static GraphModule verify(GraphModule m) {
        for (var g : m.entries()) verify(g);
        return m;
    }

    static Map<Integer, TensorType> typesOf(Graph g) {
        var m = new HashMap<Integer, TensorType>();
        for (var n : g.nodes()) m.put(n.id(), n.type());
        return m;
    }
}
