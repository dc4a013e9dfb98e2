package dev.modelc.autodiff;

import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Node;
import dev.modelc.lower.LoweringException;
import java.util.Map;
import java.util.Set;

/**
 * Explains a path that cannot be differentiated: a floating-point value computed from an integer
 * or boolean one (a cast, one_hot) that itself depends on what is differentiated. The op to blame
 * is the one that left floating point, e.g. argmax, a comparison or a cast to an integer.
 */
final class Differentiability {
    private Differentiability() {}

    static LoweringException error(Map<Integer, Node> byId, Set<Integer> depends, int nonFloat, Node user) {
        Node culprit = byId.get(nonFloat);
        // Walk back through integer/bool values to the op whose operands were floating point.
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int i : culprit.inputs()) {
                var in = byId.get(i);
                if (depends.contains(i) && !in.type().dtype().isFloat() && in.inputs().stream().anyMatch(depends::contains)) {
                    culprit = in;
                    moved = true;
                    break;
                }
            }
        }
        String op = GraphPrinter.line(culprit).replaceFirst("^%\\d+ = ", "").replaceFirst("[\\[(].*", "");
        var span = culprit.origin() != null ? culprit.origin() : user.origin();
        return new LoweringException(span, "grad-not-differentiable", "grad: cannot differentiate through '" + op
                + "', which gives " + culprit.type().dtype() + " values; the gradient does not flow through it"
                + " (compute the loss from floating-point values, or make this path independent of what is differentiated)");
    }
}
