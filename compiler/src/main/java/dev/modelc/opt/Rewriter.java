package dev.modelc.opt;

import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.graph.TensorType;
import dev.modelc.check.DType;
import java.util.HashMap;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Rebuilds a graph node by node, offering each node to a {@link Rule} that may name an equal value
 * to use instead. The nodes a rule makes are offered to the rule as well, so after one sweep no
 * node is left that the rule would change: passes built on this are idempotent. Nodes are made
 * through a {@link GraphBuilder}, which checks every type and numbers ids densely; a node a rule
 * makes gets the origin of the node it replaces.
 */
final class Rewriter {

    /** A local rewrite of {@code n} (whose operands are ids in the graph being built). */
    @FunctionalInterface
    interface Rule {
        /** The id of a value equal to {@code n}, made through {@code r}, or {@link #KEEP}. */
        int rewrite(Node n, Rewriter r);
    }

    static final int KEEP = -1;

    /** Rules only ever shrink what they look at; this deep a chain of rewrites is a loop. */
    private static final int MAX_DEPTH = 200;

    private final GraphBuilder out = new GraphBuilder();
    private final Rule rule;
    private int depth;

    private Rewriter(Rule rule) { this.rule = rule; }

    static Graph run(Graph g, Rule rule) {
        var r = new Rewriter(rule);
        var ids = new HashMap<Integer, Integer>();
        for (var n : g.nodes()) {
            var inputs = n.inputs().stream().map(i -> {
                Integer id = ids.get(i);
                if (id == null) throw new IllegalArgumentException(g.name() + ": %" + i + " is used before it is defined");
                return id;
            }).toList();
            r.out.origin(n.origin());
            ids.put(n.id(), r.emit(n.op(), inputs, n.type()));
        }
        var results = g.results().stream().map(res -> {
            Integer id = ids.get(res.value());
            if (id == null) throw new IllegalArgumentException(g.name() + ": result " + res.name() + " = %" + res.value() + " is not defined");
            return new Graph.Result(res.name(), id);
        }).toList();
        return r.out.build(g.name(), results);
    }

    /** A value computing {@code op(inputs) : type}: whatever the rule offers, else a new node. */
    int emit(Op op, List<Integer> inputs, TensorType type) {
        var candidate = new Node(KEEP, op, inputs, type);
        if (++depth > MAX_DEPTH) throw new IllegalStateException("rewrite rules loop at " + GraphPrinter.line(candidate));
        try {
            int id = rule.rewrite(candidate, this);
            if (id == KEEP) return out.emit(op, inputs, type);
            if (!type(id).equals(type)) {
                throw new IllegalStateException("a rule replaced " + GraphPrinter.line(candidate) + " by " + GraphPrinter.line(node(id)));
            }
            return id;
        } finally {
            depth--;
        }
    }

    Node node(int id) { return out.node(id); }

    TensorType type(int id) { return out.type(id); }

    /** The attribute of a {@code constant} fill, as written (not rounded to the element type). */
    OptionalDouble fill(int id) {
        return node(id).op() instanceof Op.Constant(double v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    /** True when {@code id} is a fill of exactly {@code v}; -0.0 and 0.0 are told apart. */
    boolean isFill(int id, double v) {
        var f = fill(id);
        return f.isPresent() && Double.compare(f.getAsDouble(), v) == 0;
    }

    int constant(double v, TensorType t) { return emit(new Op.Constant(v), List.of(), t); }

    int unary(UnaryFn fn, int x) { return emit(new Op.Unary(fn), List.of(x), type(x)); }

    int binary(BinaryFn fn, int a, int b) {
        var t = type(a);
        return emit(new Op.Binary(fn), List.of(a, b), fn.isComparison() ? t.withDtype(DType.BOOL) : t);
    }
}
