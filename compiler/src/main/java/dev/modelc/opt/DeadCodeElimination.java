package dev.modelc.opt;

import dev.modelc.graph.Graph;
import java.util.HashSet;

/**
 * Keeps only the nodes some result depends on, in their order. An entry's inputs are nodes too,
 * so an input no result needs is dropped: the entry then takes only what it uses.
 */
public final class DeadCodeElimination implements Pass {
    @Override
    public String name() { return "dce"; }

    @Override
    public Graph apply(Graph g) {
        var live = new HashSet<Integer>();
        for (var r : g.results()) live.add(r.value());
        var nodes = g.nodes();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            var n = nodes.get(k);
            if (live.contains(n.id())) live.addAll(n.inputs()); // operands come earlier (SSA), so one backward sweep suffices
        }
        return Renumber.keeping(g, n -> live.contains(n.id()));
    }
}
