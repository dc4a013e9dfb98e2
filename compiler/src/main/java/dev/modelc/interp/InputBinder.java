package dev.modelc.interp;

import dev.modelc.check.DimExpr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the tensors given for a graph's input nodes against their declared types and binds the
 * dimension variables from them: the first input with a plain variable dimension (such as
 * {@code B}) binds it, later ones must agree, and compound dimensions ({@code 2*N}, {@code H - 1})
 * are checked once everything is bound.
 */
final class InputBinder {
    private InputBinder() {}

    /** The bound dimension variables and the inputs' values by node id. */
    record Bound(Map<String, Long> dims, Map<Integer, Value> values) {}

    /** A declared input and the tensor given for it. */
    private record Given(Node node, String name, Tensor tensor) {
        TensorType declared() { return node.type(); }

        String describe() {
            String role = ((Op.Input) node.op()).role().name().toLowerCase(Locale.ROOT);
            return role + " '" + name + "'";
        }

        InterpreterException mismatch(String why) {
            String got = Value.spelling(tensor.dtype()) + Dims.format(Dims.fromLongs(tensor.shape()));
            return new InterpreterException(describe() + " is declared " + declared() + " but got " + got + ": " + why);
        }
    }

    static Bound bind(List<Node> inputNodes, Map<String, Tensor> tensors) {
        return bind(inputNodes, tensors, true);
    }

    /** Checks the tensors and binds the dimension variables, without converting any values. */
    static Map<String, Long> dims(List<Node> inputNodes, Map<String, Tensor> tensors) {
        return bind(inputNodes, tensors, false).dims();
    }

    private static Bound bind(List<Node> inputNodes, Map<String, Tensor> tensors, boolean withValues) {
        var given = new java.util.ArrayList<Given>();
        for (Node n : inputNodes) {
            String name = ((Op.Input) n.op()).name();
            Tensor t = tensors.get(name);
            var g = new Given(n, name, t);
            if (t == null) throw new InterpreterException("missing " + g.describe() + " (declared " + n.type() + ")");
            if (Value.runtimeType(n.type().dtype()) != t.dtype()) throw g.mismatch("element type should be " + n.type().dtype());
            if (t.rank() != n.type().rank()) throw g.mismatch("rank should be " + n.type().rank());
            given.add(g);
        }
        var dims = new LinkedHashMap<String, Long>();
        var boundBy = new HashMap<String, String>();
        for (Given g : given) bindPlainVariables(g, dims, boundBy);
        solveCompoundDimensions(given, dims, boundBy);
        var values = new HashMap<Integer, Value>();
        for (Given g : given) {
            checkCompoundDimensions(g, dims);
            if (withValues) values.put(g.node().id(), Value.fromTensor(g.tensor(), g.declared().dtype()));
        }
        return new Bound(dims, values);
    }

    private static void bindPlainVariables(Given g, Map<String, Long> dims, Map<String, String> boundBy) {
        List<DimExpr> shape = g.declared().shape();
        for (int axis = 0; axis < shape.size(); axis++) {
            DimExpr d = shape.get(axis);
            long actual = g.tensor().dim(axis);
            if (d.isConstant()) {
                if (d.constantValue().getAsLong() != actual) throw g.mismatch("axis " + axis + " should be " + d);
            } else if (d.isVar()) {
                String v = d.variables().iterator().next();
                Long prior = dims.get(v);
                if (prior == null) {
                    dims.put(v, actual);
                    boundBy.put(v, g.name());
                } else if (prior != actual) {
                    throw g.mismatch(v + " is " + prior + " from '" + boundBy.get(v) + "' but " + actual + " from '" + g.name() + "'");
                }
            }
        }
    }

    /**
     * Binds a variable that no plain dimension binds from a compound one where it is the only
     * unknown and appears linearly (e.g. {@code N + 1}); repeats while that makes progress.
     */
    private static void solveCompoundDimensions(List<Given> given, Map<String, Long> dims, Map<String, String> boundBy) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Given g : given) {
                List<DimExpr> shape = g.declared().shape();
                for (int axis = 0; axis < shape.size(); axis++) {
                    var unbound = shape.get(axis).variables().stream().filter(v -> !dims.containsKey(v)).toList();
                    if (unbound.size() != 1) continue;
                    String v = unbound.getFirst();
                    Map<String, DimExpr> known = new HashMap<>();
                    dims.forEach((k, x) -> known.put(k, DimExpr.constant(x)));
                    Optional<DimExpr> solved = shape.get(axis).substitute(known).solveFor(v, DimExpr.constant(g.tensor().dim(axis)));
                    if (solved.isEmpty() || !solved.get().isConstant()) continue;
                    long value = solved.get().constantValue().getAsLong();
                    if (value < 0) throw g.mismatch("axis " + axis + " (" + shape.get(axis) + ") would need " + v + " = " + value);
                    dims.put(v, value);
                    boundBy.put(v, g.name());
                    progress = true;
                }
            }
        }
    }

    private static void checkCompoundDimensions(Given g, Map<String, Long> dims) {
        List<DimExpr> shape = g.declared().shape();
        for (int axis = 0; axis < shape.size(); axis++) {
            DimExpr d = shape.get(axis);
            if (d.isConstant() || d.isVar()) continue;
            var value = d.evaluate(dims);
            if (value.isEmpty()) {
                throw g.mismatch("cannot tell " + String.join(", ", d.variables().stream().filter(v -> !dims.containsKey(v)).toList())
                        + " from axis " + axis + " (" + d + ") alone; no input has it as a plain dimension");
            }
            if (value.getAsLong() != g.tensor().dim(axis)) {
                throw g.mismatch("axis " + axis + " should be " + d + " = " + value.getAsLong() + " " + bindingsOf(d, dims));
            }
        }
    }

    private static String bindingsOf(DimExpr d, Map<String, Long> dims) {
        return "(" + String.join(", ", d.variables().stream().map(v -> v + " = " + dims.get(v)).toList()) + ")";
    }
}
