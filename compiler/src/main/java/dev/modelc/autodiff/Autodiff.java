package dev.modelc.autodiff;

import dev.modelc.diag.Span;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Symbolic reverse-mode differentiation on the Graph IR. The backward pass is appended to the
 * same graph as ordinary nodes (each op's {@link Vjp} rule is itself written in Graph IR), so it
 * can reuse forward values, be simplified like any other code, and be differentiated again:
 * {@code grad} of {@code grad} is just a second call.
 */
public final class Autodiff {
    private Autodiff() {}

    /**
     * Appends the gradient of the scalar {@code y} with respect to each of {@code wrt} and returns
     * their ids (a zero tensor where {@code y} does not depend on one). Throws
     * {@link dev.modelc.lower.LoweringException} when a path runs through an op with no derivative.
     */
    public static List<Integer> grad(GraphBuilder b, int y, List<Integer> wrt, Span where) {
        var nodes = b.nodes();
        // Values that depend on some wrt (through any edge), and of those, the ones y depends on.
        var depends = new HashSet<>(wrt);
        for (var n : nodes) {
            for (int i : n.inputs()) {
                if (depends.contains(i)) {
                    depends.add(n.id());
                    break;
                }
            }
        }
        var needed = new HashSet<Integer>();
        if (depends.contains(y)) needed.add(y);
        var byId = new HashMap<Integer, Node>();
        for (var n : nodes) byId.put(n.id(), n);
        for (int k = nodes.size() - 1; k >= 0; k--) {
            var n = nodes.get(k);
            if (!needed.contains(n.id())) continue;
            for (int i : n.inputs()) if (depends.contains(i)) needed.add(i);
        }
        var prior = b.origin(where);
        try {
            Map<Integer, Integer> cot = new HashMap<>();
            if (needed.contains(y)) cot.put(y, b.constant(1, b.type(y)));
            for (int k = nodes.size() - 1; k >= 0; k--) {
                var n = nodes.get(k);
                Integer g = cot.get(n.id());
                if (g == null || n.inputs().isEmpty()) continue;
                var wanted = new boolean[n.inputs().size()];
                boolean any = false;
                for (int i = 0; i < wanted.length; i++) {
                    int in = n.input(i);
                    wanted[i] = needed.contains(in) && b.type(in).dtype().isFloat();
                    // Only a cast turns an integer or boolean value back into floating point (a
                    // select's condition is legitimately not differentiated).
                    if (needed.contains(in) && !b.type(in).dtype().isFloat() && n.type().dtype().isFloat()
                            && n.op() instanceof dev.modelc.graph.Op.Convert) {
                        throw Differentiability.error(byId, depends, in, n);
                    }
                    any |= wanted[i];
                }
                if (!any) continue;
                b.origin(n.origin() != null ? n.origin() : where);
                Integer[] contributions = Vjp.of(b, n, g, wanted);
                b.origin(where);
                for (int i = 0; i < wanted.length; i++) {
                    Integer c = contributions[i];
                    if (!wanted[i] || c == null) continue;
                    int in = n.input(i);
                    Integer acc = cot.get(in);
                    cot.put(in, acc == null ? c : b.add(acc, c));
                }
            }
            var out = new ArrayList<Integer>();
            for (int w : wrt) {
                Integer g = cot.get(w);
                out.add(g != null ? g : b.zerosLike(w));
            }
            return out;
        } finally {
            b.origin(prior);
        }
    }
}
