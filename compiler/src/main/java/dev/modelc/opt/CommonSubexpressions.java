package dev.modelc.opt;

import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.TensorType;
import java.util.HashMap;
import java.util.List;

/**
 * Merges nodes with the same op, the same operands and the same type into the first of them; this
 * is also how the backward pass comes to share the forward pass's values. Every op is a pure
 * function of its operands, {@code random_uniform} included (its numbers are a hash of key,
 * stream and index), so any two such nodes are equal. Operands of {@code add mul == != and or}
 * are compared as a set: IEEE addition and multiplication commute exactly.
 */
public final class CommonSubexpressions implements Pass {
    private record Key(Op op, List<Integer> inputs, TensorType type) {}

    @Override
    public String name() { return "cse"; }

    @Override
    public Graph apply(Graph g) {
        var out = new GraphBuilder();
        var ids = new HashMap<Integer, Integer>();
        var seen = new HashMap<Key, Integer>();
        for (var n : g.nodes()) {
            var inputs = n.inputs().stream().map(ids::get).toList();
            var key = new Key(n.op(), commutes(n.op()) ? inputs.stream().sorted().toList() : inputs, n.type());
            Integer id = seen.get(key);
            if (id == null) {
                id = out.copy(n, inputs);
                seen.put(key, id);
            }
            ids.put(n.id(), id);
        }
        return out.build(g.name(), g.results().stream().map(r -> new Graph.Result(r.name(), ids.get(r.value()))).toList());
    }

    private static boolean commutes(Op op) {
        return op instanceof Op.Binary(BinaryFn fn) && switch (fn) {
            case ADD, MUL, EQ, NE, AND, OR -> true;
            default -> false;
        };
    }
}
