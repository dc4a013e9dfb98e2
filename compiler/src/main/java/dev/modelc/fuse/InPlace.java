package dev.modelc.fuse;

import dev.modelc.fuse.FusedGraph.Kernel;
import dev.modelc.fuse.FusedGraph.KernelKind;
import dev.modelc.graph.Graph;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which results may be written over the input of the same name: the new value of a param or of
 * optimiser state ({@code w1}, {@code w1.m}) replaces the old one in its own buffer, so a
 * training step updates its state in place instead of into fresh storage.
 *
 * <p>Safe when the result's kernel is pointwise and reads the input only at the element it
 * stores (through elementwise ops alone, never through a broadcast, transpose or other index
 * remap), and no later kernel reads the input: then every element of the old value is read
 * before it is overwritten, by the same loop iteration (or vector lane) that overwrites it.
 */
final class InPlace {
    private InPlace() {}

    /** result node → the input node whose buffer it takes. */
    static Map<Integer, Integer> plan(Graph g, List<Kernel> kernels, Map<Integer, Integer> aliases) {
        var byId = g.byId();
        Map<String, Node> inputs = new HashMap<>();
        for (var n : g.nodes()) if (n.op() instanceof Op.Input in) inputs.put(in.name(), n);
        Map<Integer, Integer> position = new HashMap<>();
        for (int k = 0; k < kernels.size(); k++) position.put(kernels.get(k).root(), k);
        Map<Integer, Integer> lastRead = lastReads(g, kernels, aliases);
        Map<Integer, Integer> resultCount = new HashMap<>();
        for (var r : g.results()) resultCount.merge(Fusion.storageOf(r.value(), aliases), 1, Integer::sum);

        var plan = new HashMap<Integer, Integer>();
        for (var r : g.results()) {
            var input = inputs.get(r.name());
            Integer k = position.get(r.value());
            if (input == null || k == null || !input.type().equals(byId.get(r.value()).type())) continue;
            var kernel = kernels.get(k);
            if (kernel.kind() != KernelKind.POINTWISE || resultCount.get(r.value()) != 1) continue;
            if (resultCount.containsKey(input.id())) continue; // the old value is itself returned
            if (lastRead.getOrDefault(input.id(), -1) > k) continue;
            if (!readsOnlyAtStoredElement(kernel, input.id(), byId)) continue;
            plan.put(r.value(), input.id());
        }
        return plan;
    }

    /** Per stored node (inputs included), the last kernel position that reads it. */
    private static Map<Integer, Integer> lastReads(Graph g, List<Kernel> kernels, Map<Integer, Integer> aliases) {
        var byId = g.byId();
        Map<Integer, Integer> last = new HashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            var kernel = kernels.get(k);
            for (int node : computed(kernel)) {
                for (int in : byId.get(node).inputs()) last.merge(Fusion.storageOf(in, aliases), k, Math::max);
            }
        }
        return last;
    }

    /**
     * True when every read of {@code input} inside the kernel is an operand of an elementwise op
     * that is itself reached from the stored root through elementwise ops only.
     */
    static boolean readsOnlyAtStoredElement(Kernel kernel, int input, Map<Integer, Node> byId) {
        Set<Integer> inKernel = new HashSet<>(computed(kernel));
        Set<Integer> sameIndex = new HashSet<>();
        var pending = new java.util.ArrayDeque<Integer>();
        if (isElementwise(byId.get(kernel.root()).op())) pending.add(kernel.root());
        while (!pending.isEmpty()) {
            int n = pending.pop();
            if (!sameIndex.add(n)) continue;
            for (int in : byId.get(n).inputs()) {
                if (inKernel.contains(in) && isElementwise(byId.get(in).op())) pending.add(in);
            }
        }
        for (int n : inKernel) {
            if (byId.get(n).inputs().contains(input) && !sameIndex.contains(n)) return false;
        }
        return true;
    }

    private static List<Integer> computed(Kernel kernel) { return kernel.computed(); }

    /** Ops whose element i depends only on their operands' elements i (operands have the result's shape). */
    static boolean isElementwise(Op op) {
        return switch (op) {
            case Op.Unary u -> true;
            case Op.Binary b -> true;
            case Op.Select s -> true;
            case Op.Convert c -> true;
            default -> false;
        };
    }
}
