package dev.modelc.fuse;

import dev.modelc.fuse.FusedGraph.Kernel;
import dev.modelc.fuse.FusedGraph.KernelKind;
import dev.modelc.graph.Graph;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which nodes get a buffer and which are recomputed inside their consumers. Pointwise
 * nodes (elementwise arithmetic and the index-remapping ops: broadcast, transpose, slice, pad,
 * concat, iota) are inlined into every kernel that reads them unless their value is a result,
 * feeds an op that needs a buffer (matmul, convolution, pooling, softmax), or is used more than
 * once and costs something to recompute. Reductions take their pointwise operand inline as a
 * prologue. A reshape of a buffer is that buffer, read in the same C order.
 */
public final class Fusion {
    private Fusion() {}

    public static FusedGraph fuse(Graph g) {
        var byId = g.byId();
        Map<Integer, Integer> uses = new HashMap<>();
        Set<Integer> bufferOperands = new HashSet<>();
        Set<Integer> nonMatmulBufferOperands = new HashSet<>();
        for (var n : g.nodes()) {
            for (int in : n.inputs()) uses.merge(in, 1, Integer::sum);
            if (needsBufferOperands(n.op())) bufferOperands.addAll(n.inputs());
            if (needsBufferOperands(n.op()) && !(n.op() instanceof Op.MatMul)) nonMatmulBufferOperands.addAll(n.inputs());
        }
        Set<Integer> results = new HashSet<>();
        for (var r : g.results()) {
            uses.merge(r.value(), 1, Integer::sum);
            results.add(r.value());
        }
        var materialized = new LinkedHashSet<Integer>();
        var aliases = new HashMap<Integer, Integer>();
        var cost = new HashMap<Integer, Integer>();
        for (var n : g.nodes()) {
            if (!isPointwise(n.op())) {
                materialized.add(n.id());
                continue;
            }
            // a result gets its own buffer (results are read out with their own shapes)
            if (n.op() instanceof Op.Reshape && materialized.contains(storageOf(n.inputs().get(0), aliases))
                    && bufferOperands.contains(n.id()) && !results.contains(n.id())) {
                aliases.put(n.id(), n.inputs().get(0));
                continue;
            }
            int c = ownCost(n.op());
            for (int in : n.inputs()) c += materialized.contains(in) || aliases.containsKey(in) ? 0 : cost.getOrDefault(in, 0);
            cost.put(n.id(), c);
            // a matmul reads a transpose of a stored value's last two axes through the swapped index
            boolean readThrough = n.op() instanceof Op.Transpose t && isLastTwoSwap(t.perm()) && !nonMatmulBufferOperands.contains(n.id())
                    && materialized.contains(storageOf(n.inputs().get(0), aliases));
            if (results.contains(n.id()) || (bufferOperands.contains(n.id()) && !readThrough) || (uses.getOrDefault(n.id(), 0) > 1 && c > 0)) {
                materialized.add(n.id());
            }
        }
        var kernels = new ArrayList<Kernel>();
        for (var n : g.nodes()) {
            if (!materialized.contains(n.id()) || n.op() instanceof Op.Input) continue;
            var inlined = new ArrayList<Integer>();
            collectInlined(n, byId, materialized, aliases, inlined, new HashSet<>());
            kernels.add(new Kernel(n.id(), kind(n.op()), inlined));
        }
        fuseEpilogues(g, kernels, materialized, aliases, results);
        var inPlace = InPlace.plan(g, kernels, aliases);
        var slots = BufferPlan.slots(g, kernels, materialized, aliases, results, inPlace.keySet());
        return new FusedGraph(g, kernels, materialized, aliases, slots, inPlace);
    }

    /**
     * Gives a matmul, a conv2d, a conv2d_kernel_grad or a maxpool_grad the pointwise kernel that is its only reader as an epilogue, when that kernel
     * reads the product only elementwise (through unary, binary, select and convert nodes from its
     * root, never a broadcast, transpose or other remap), stores a value of the product's type and
     * shape, and would not have been written in place over an input. The product is then never
     * stored on its own: the matmul (conv) kernel stores the epilogue's root, at the reader's position.
     */
    private static void fuseEpilogues(Graph g, List<Kernel> kernels, Set<Integer> materialized, Map<Integer, Integer> aliases,
                                      Set<Integer> results) {
        var byId = g.byId();
        var inPlace = InPlace.plan(g, kernels, aliases).keySet();
        for (int km = 0; km < kernels.size(); km++) {
            var mk = kernels.get(km);
            int m = mk.op();
            var hostOp = byId.get(m).op();
            boolean host = mk.kind() == KernelKind.MATMUL
                    || (mk.kind() == KernelKind.CONV && (hostOp instanceof Op.Conv2D || hostOp instanceof Op.Conv2DKernelGrad))
                    || (mk.kind() == KernelKind.POOL && hostOp instanceof Op.MaxPoolGrad);
            if (!host || mk.hasEpilogue() || results.contains(m) || aliases.containsValue(m)) continue;
            int reader = -1, readers = 0;
            for (int k = 0; k < kernels.size(); k++) {
                if (k == km) continue;
                for (int node : kernels.get(k).computed()) {
                    if (byId.get(node).inputs().contains(m)) {
                        reader = k;
                        readers++;
                        break;
                    }
                }
            }
            if (readers != 1) continue;
            var p = kernels.get(reader);
            var root = byId.get(p.root());
            if (p.kind() != KernelKind.POINTWISE || p.hasEpilogue() || inPlace.contains(p.root())
                    || !root.type().equals(byId.get(m).type())
                    || !InPlace.readsOnlyAtStoredElement(p, m, byId)) continue;
            kernels.set(reader, new Kernel(p.root(), mk.kind(), mk.inlined(), m, p.inlined()));
            kernels.remove(km);
            materialized.remove(m);
            km--;
        }
    }

    /** True for {@code [0, 1, ..., r-3, r-1, r-2]}. */
    static boolean isLastTwoSwap(List<Integer> perm) {
        int r = perm.size();
        if (r < 2) return false;
        for (int i = 0; i < r - 2; i++) if (perm.get(i) != i) return false;
        return perm.get(r - 2) == r - 1 && perm.get(r - 1) == r - 2;
    }

    static int storageOf(int node, Map<Integer, Integer> aliases) {
        Integer a = aliases.get(node);
        return a == null ? node : storageOf(a, aliases);
    }

    private static void collectInlined(Node n, Map<Integer, Node> byId, Set<Integer> materialized, Map<Integer, Integer> aliases,
                                       List<Integer> out, Set<Integer> seen) {
        for (int in : n.inputs()) {
            if (materialized.contains(in) || aliases.containsKey(in) || !seen.add(in)) continue;
            var operand = byId.get(in);
            collectInlined(operand, byId, materialized, aliases, out, seen);
            out.add(in);
        }
    }

    /** Ops computed element by element from their operands at (remapped) indices. */
    static boolean isPointwise(Op op) {
        return switch (op) {
            case Op.Constant c -> true;
            case Op.DimSize d -> true;
            case Op.Iota i -> true;
            case Op.Unary u -> true;
            case Op.Binary b -> true;
            case Op.Select s -> true;
            case Op.Convert c -> true;
            case Op.Broadcast b -> true;
            case Op.Reshape r -> true;
            case Op.Transpose t -> true;
            case Op.Slice s -> true;
            case Op.Pad p -> true;
            case Op.Concat c -> true;
            case Op.RandomUniform r -> true;
            default -> false;
        };
    }

    /** Ops whose loop nests read their operands from buffers. */
    private static boolean needsBufferOperands(Op op) {
        return !isPointwise(op) && !(op instanceof Op.Reduce) && !(op instanceof Op.ArgReduce) && !(op instanceof Op.Input);
    }

    /** What recomputing the op costs per element: index remapping and constants are free. */
    private static int ownCost(Op op) {
        return switch (op) {
            case Op.Constant c -> 0;
            case Op.DimSize d -> 0;
            case Op.Iota i -> 0;
            case Op.Broadcast b -> 0;
            case Op.Reshape r -> 0;
            case Op.Transpose t -> 0;
            case Op.Slice s -> 0;
            case Op.Convert c -> 0;
            default -> 1;
        };
    }

    private static KernelKind kind(Op op) {
        return switch (op) {
            case Op.Reduce r -> KernelKind.REDUCE;
            case Op.ArgReduce a -> KernelKind.ARG_REDUCE;
            case Op.MatMul m -> KernelKind.MATMUL;
            case Op.Softmax s -> KernelKind.SOFTMAX;
            case Op.LogSoftmax s -> KernelKind.SOFTMAX;
            case Op.LogSumExp s -> KernelKind.SOFTMAX;
            case Op.Conv2D c -> KernelKind.CONV;
            case Op.Conv2DInputGrad c -> KernelKind.CONV;
            case Op.Conv2DKernelGrad c -> KernelKind.CONV;
            case Op.MaxPool p -> KernelKind.POOL;
            case Op.MaxPoolGrad p -> KernelKind.POOL;
            case Op.MaxPoolSelect p -> KernelKind.POOL;
            case Op.AvgPool p -> KernelKind.POOL;
            case Op.AvgPoolGrad p -> KernelKind.POOL;
            default -> KernelKind.POINTWISE;
        };
    }
}
