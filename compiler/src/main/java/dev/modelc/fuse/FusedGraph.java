package dev.modelc.fuse;

import dev.modelc.graph.Graph;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph cut into kernels: every node is either materialized (an input, or the root of a
 * kernel whose result goes to a buffer), an alias (a reshape reading its operand's buffer as
 * is), or inlined (a pointwise node recomputed, from its index, inside each kernel that uses it).
 * Kernels run in the graph's order. {@code slots} is the buffer plan: materialized temporaries
 * with disjoint lifetimes (by kernel position) share a slot. {@code inPlace} maps a kernel's
 * root to the input whose buffer it overwrites instead of taking a slot (the new value of a
 * param or of optimiser state; see {@link InPlace}).
 */
public record FusedGraph(Graph graph, List<Kernel> kernels, Set<Integer> materialized, Map<Integer, Integer> aliases,
                         Map<Integer, Integer> slots, Map<Integer, Integer> inPlace) {
    public FusedGraph {
        kernels = List.copyOf(kernels);
        materialized = Set.copyOf(materialized);
        aliases = Map.copyOf(aliases);
        slots = Map.copyOf(slots);
        inPlace = Map.copyOf(inPlace);
    }

    /**
     * A kernel: the node it stores ({@code root}), the kind of loop nest, and the pointwise nodes
     * inlined into it. {@code op} is the node whose loop nest the kernel runs: the root, or for a
     * matmul with an epilogue the matmul, whose result is never stored on its own; the epilogue
     * is then the pointwise root computed from it elementwise, with the nodes in {@code epilogue}
     * computed inline; {@code inlined} are the op's own inline operands.
     */
    public record Kernel(int root, KernelKind kind, List<Integer> inlined, int op, List<Integer> epilogue) {
        public Kernel {
            inlined = List.copyOf(inlined);
            epilogue = List.copyOf(epilogue);
        }

        public Kernel(int root, KernelKind kind, List<Integer> inlined) { this(root, kind, inlined, root, List.of()); }

        public boolean hasEpilogue() { return op != root; }

        /** Every node the kernel computes: the inlined ones, the op, the epilogue's and the root. */
        public List<Integer> computed() {
            var out = new java.util.ArrayList<>(inlined);
            if (op != root) out.add(op);
            out.addAll(epilogue);
            out.add(root);
            return out;
        }
    }

    public enum KernelKind { POINTWISE, REDUCE, ARG_REDUCE, MATMUL, SOFTMAX, CONV, POOL }

    /** The node whose buffer holds {@code node}'s value: itself, or what a reshape aliases. */
    public int storage(int node) {
        Integer a = aliases.get(node);
        return a == null ? node : storage(a);
    }
}
