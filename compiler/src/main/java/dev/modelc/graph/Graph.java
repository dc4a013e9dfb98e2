package dev.modelc.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry point as an SSA dataflow graph: nodes in definition order (every operand defined
 * before use), and named results. The entry's inputs are its {@link Op.Input} nodes.
 */
public record Graph(String name, List<Node> nodes, List<Result> results) {
    public Graph {
        nodes = List.copyOf(nodes);
        results = List.copyOf(results);
    }

    /** A named value the entry returns. */
    public record Result(String name, int value) {}

    public Map<Integer, Node> byId() {
        var m = new HashMap<Integer, Node>();
        for (var n : nodes) m.put(n.id(), n);
        return m;
    }

    public Node node(int id) {
        for (var n : nodes) if (n.id() == id) return n;
        throw new IllegalArgumentException("no node %" + id + " in " + name);
    }

    public List<Node> inputs() {
        var out = new ArrayList<Node>();
        for (var n : nodes) if (n.op() instanceof Op.Input) out.add(n);
        return out;
    }

    public Node result(String resultName) {
        for (var r : results) if (r.name().equals(resultName)) return node(r.value());
        throw new IllegalArgumentException("entry " + name + " has no result " + resultName);
    }

    /** Dimension variables bound by the entry's input shapes, in order of first appearance. */
    public Set<String> dimVars() {
        var out = new LinkedHashSet<String>();
        for (var n : inputs()) for (var d : n.type().shape()) out.addAll(d.variables());
        return out;
    }
}
