package dev.modelc.graph;

import dev.modelc.diag.Span;
import java.util.List;
import java.util.Objects;

/**
 * One SSA value: the operation that computes it, its operands (ids of earlier nodes) and its type.
 * {@code origin} is the source expression it came from, kept for error messages; it is not part of
 * the text form, so equality ignores it.
 */
public record Node(int id, Op op, List<Integer> inputs, TensorType type, Span origin) {
    public Node {
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(op);
        Objects.requireNonNull(type);
    }

    public Node(int id, Op op, List<Integer> inputs, TensorType type) { this(id, op, inputs, type, null); }

    public int input(int i) { return inputs.get(i); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && n.id == id && n.op.equals(op) && n.inputs.equals(inputs) && n.type.equals(type);
    }

    @Override
    public int hashCode() { return Objects.hash(id, op, inputs, type); }
}
