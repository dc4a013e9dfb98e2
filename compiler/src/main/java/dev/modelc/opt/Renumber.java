package dev.modelc.opt;

import dev.modelc.graph.Graph;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Predicate;

/** Gives a graph's nodes the ids 0, 1, … in node order, so that equal graphs print equal text. */
public final class Renumber {
    private Renumber() {}

    public static Graph dense(Graph g) { return keeping(g, n -> true); }

    /**
     * The nodes that {@code keep} accepts, renumbered densely. Every operand of a kept node and every
     * result must be kept too; a dropped one is a bug in the caller, so it throws.
     */
    public static Graph keeping(Graph g, Predicate<Node> keep) {
        var ids = new HashMap<Integer, Integer>();
        var nodes = new ArrayList<Node>();
        for (var n : g.nodes()) {
            if (!keep.test(n)) continue;
            var inputs = n.inputs().stream().map(i -> mapped(ids, i, n.id())).toList();
            ids.put(n.id(), nodes.size());
            nodes.add(new Node(nodes.size(), n.op(), inputs, n.type(), n.origin()));
        }
        List<Graph.Result> results = g.results().stream()
                .map(r -> new Graph.Result(r.name(), mapped(ids, r.value(), -1))).toList();
        return new Graph(g.name(), nodes, results);
    }

    private static int mapped(HashMap<Integer, Integer> ids, int old, int user) {
        Integer id = ids.get(old);
        if (id == null) throw new IllegalStateException("%" + old + (user < 0 ? " (a result)" : " (used by %" + user + ")") + " was dropped");
        return id;
    }
}
