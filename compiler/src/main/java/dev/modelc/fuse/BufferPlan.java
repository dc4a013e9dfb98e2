package dev.modelc.fuse;

import dev.modelc.check.DType;
import dev.modelc.fuse.FusedGraph.Kernel;
import dev.modelc.graph.Graph;
import dev.modelc.graph.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Liveness-based reuse of temporaries: a kernel's result is live from its kernel to the last
 * kernel that reads it (results to the end), and a new result takes a free slot of its element
 * type, one whose previous tenant died before this kernel began. Slot sizes are the largest
 * tenant's, known once the dimension variables are.
 */
final class BufferPlan {
    private BufferPlan() {}

    /** node → slot for every materialized non-input node that is not written over an input ({@code inPlace}). */
    static Map<Integer, Integer> slots(Graph g, List<Kernel> kernels, Set<Integer> materialized,
                                       Map<Integer, Integer> aliases, Set<Integer> results, Set<Integer> inPlace) {
        var byId = g.byId();
        Map<Integer, Integer> position = new HashMap<>();
        for (int k = 0; k < kernels.size(); k++) position.put(kernels.get(k).root(), k);
        Map<Integer, Integer> lastRead = new HashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            var kernel = kernels.get(k);
            for (int node : kernel.computed()) {
                for (int in : byId.get(node).inputs()) {
                    if (materialized.contains(in) || aliases.containsKey(in)) lastRead.merge(storage(in, aliases), k, Math::max);
                }
            }
        }
        for (int r : results) lastRead.put(storage(r, aliases), Integer.MAX_VALUE);

        Map<Integer, Integer> slotOf = new HashMap<>();
        List<DType> slotType = new ArrayList<>();
        List<Integer> slotFreeAfter = new ArrayList<>(); // the last kernel reading the slot's current tenant
        for (int k = 0; k < kernels.size(); k++) {
            int node = kernels.get(k).root();
            if (byId.get(node).op() instanceof Op.Input || inPlace.contains(node)) continue;
            DType t = byId.get(node).type().dtype();
            int end = lastRead.getOrDefault(node, k);
            int chosen = -1;
            for (int s = 0; s < slotType.size() && chosen < 0; s++) {
                if (slotType.get(s) == t && slotFreeAfter.get(s) < k) chosen = s;
            }
            if (chosen < 0) {
                chosen = slotType.size();
                slotType.add(t);
                slotFreeAfter.add(end);
            } else {
                slotFreeAfter.set(chosen, end);
            }
            slotOf.put(node, chosen);
        }
        return slotOf;
    }

    static int storage(int node, Map<Integer, Integer> aliases) {
        Integer a = aliases.get(node);
        return a == null ? node : storage(a, aliases);
    }
}
