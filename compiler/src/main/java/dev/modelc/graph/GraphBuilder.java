package dev.modelc.graph;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.diag.Span;
import dev.modelc.graph.Op.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends nodes to a graph under construction, working each result type out from the operands
 * and checking it with {@link TypeRules}. Lowering, differentiation and the passes all build
 * graphs through this, so a malformed node fails where it is made.
 */
public final class GraphBuilder {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Integer, Node> byId = new HashMap<>();
    private int nextId;
    private Span origin;

    public GraphBuilder() {}

    /** Continues after the nodes of an existing graph (same ids). */
    public GraphBuilder(Graph g) {
        for (var n : g.nodes()) {
            nodes.add(n);
            byId.put(n.id(), n);
            nextId = Math.max(nextId, n.id() + 1);
        }
    }

    /** The source expression the next nodes come from (for error messages); null for none. */
    public Span origin(Span s) {
        Span prior = origin;
        origin = s;
        return prior;
    }

    public Node node(int id) {
        var n = byId.get(id);
        if (n == null) throw new IllegalArgumentException("no node %" + id);
        return n;
    }

    public TensorType type(int id) { return node(id).type(); }

    public List<Node> nodes() { return List.copyOf(nodes); }

    public Graph build(String name, List<Graph.Result> results) { return new Graph(name, nodes, results); }

    /** Appends a node with the given type after checking it. */
    public int emit(Op op, List<Integer> inputs, TensorType type) {
        var node = new Node(nextId, op, inputs, type, origin);
        var in = new ArrayList<TensorType>();
        for (int i : inputs) in.add(type(i));
        String problem = TypeRules.check(node, in);
        if (problem != null) throw new IllegalStateException("bad node " + GraphPrinter.line(node) + ": " + problem + " (operands " + in + ")");
        nextId++;
        nodes.add(node);
        byId.put(node.id(), node);
        return node.id();
    }

    /** Re-emits a node of another graph with new operands (same op and type). */
    public int copy(Node n, List<Integer> inputs) {
        var prior = origin(n.origin());
        try {
            return emit(n.op(), inputs, n.type());
        } finally {
            origin(prior);
        }
    }

    // ---- leaves ----

    public int input(Role role, String name, TensorType t) { return emit(new Input(role, name), List.of(), t); }

    /** A fill; the value is first made what the element type can hold (an f32 constant holds a float). */
    public int constant(double v, TensorType t) { return emit(new Constant(Conversions.cast(v, t.dtype())), List.of(), t); }

    public int scalar(double v, DType d) { return constant(v, TensorType.scalar(d)); }

    public int dimSize(DimExpr d, DType dtype) {
        if (d.isConstant()) return scalar(d.constantValue().getAsLong(), dtype);
        return emit(new DimSize(d), List.of(), TensorType.scalar(dtype));
    }

    public int iota(int axis, TensorType t) { return emit(new Iota(axis), List.of(), t); }

    // ---- elementwise ----

    public int unary(UnaryFn fn, int x) { return emit(new Unary(fn), List.of(x), type(x)); }

    /** Elementwise on operands of equal type (broadcast and convert first). */
    public int binary(BinaryFn fn, int a, int b) {
        var t = type(a);
        if (fn.isComparison()) t = t.withDtype(DType.BOOL);
        return emit(new Binary(fn), List.of(a, b), t);
    }

    /** Elementwise with NumPy broadcasting of the shapes (element types must already agree). */
    public int binaryBroadcast(BinaryFn fn, int a, int b) {
        var shape = broadcastShape(type(a).shape(), type(b).shape());
        if (shape == null) throw new IllegalStateException("shapes do not broadcast: " + type(a) + " and " + type(b));
        return binary(fn, broadcastTo(a, shape), broadcastTo(b, shape));
    }

    public int add(int a, int b) { return binaryBroadcast(BinaryFn.ADD, a, b); }

    public int sub(int a, int b) { return binaryBroadcast(BinaryFn.SUB, a, b); }

    public int mul(int a, int b) { return binaryBroadcast(BinaryFn.MUL, a, b); }

    public int div(int a, int b) { return binaryBroadcast(BinaryFn.DIV, a, b); }

    /** {@code x * v} for a constant v of x's element type. */
    public int scale(int x, double v) { return mul(x, scalar(v, type(x).dtype())); }

    public int select(int c, int a, int b) {
        var shape = broadcastShape(type(c).shape(), broadcastShape(type(a).shape(), type(b).shape()));
        return emit(new Select(), List.of(broadcastTo(c, shape), broadcastTo(a, shape), broadcastTo(b, shape)),
                type(a).withShape(shape));
    }

    public int convert(int x, DType to) {
        if (type(x).dtype() == to) return x;
        return emit(new Convert(), List.of(x), type(x).withDtype(to));
    }

    public int zerosLike(int x) { return constant(0, type(x)); }

    // ---- shapes ----

    /** NumPy broadcasting of {@code x} to {@code shape} (trailing axes aligned); x itself when it already has it. */
    public int broadcastTo(int x, List<DimExpr> shape) {
        var t = type(x);
        if (t.shape().equals(shape)) return x;
        int offset = shape.size() - t.rank();
        var dims = new ArrayList<Integer>();
        for (int i = 0; i < t.rank(); i++) dims.add(i + offset);
        return emit(new Broadcast(dims), List.of(x), t.withShape(shape));
    }

    public int broadcast(int x, List<Integer> dims, List<DimExpr> shape) {
        if (type(x).shape().equals(shape) && isIdentity(dims)) return x;
        return emit(new Broadcast(dims), List.of(x), type(x).withShape(shape));
    }

    public int reshape(int x, List<DimExpr> shape) {
        if (type(x).shape().equals(shape)) return x;
        return emit(new Reshape(), List.of(x), type(x).withShape(shape));
    }

    public int transpose(int x, List<Integer> perm) {
        if (isIdentity(perm)) return x;
        return emit(new Transpose(perm), List.of(x), TypeRules.transpose(type(x), perm));
    }

    public int slice(int x, List<DimExpr> start, List<Long> step, List<DimExpr> shape) {
        return emit(new Slice(start, step), List.of(x), type(x).withShape(shape));
    }

    public int pad(int x, List<DimExpr> low, List<Long> interior, List<DimExpr> shape) {
        return emit(new Pad(low, interior), List.of(x), type(x).withShape(shape));
    }

    public int concat(List<Integer> parts, int axis) {
        if (parts.size() == 1) return parts.get(0);
        return emit(new Concat(axis), parts, TypeRules.concat(axis, parts.stream().map(this::type).toList()));
    }

    // ---- reductions and the rest ----

    public int reduce(ReduceFn fn, int x, List<Integer> axes) {
        if (axes.isEmpty()) return x;
        return emit(new Reduce(fn, sorted(axes)), List.of(x), TypeRules.reduce(type(x), sorted(axes), type(x).dtype()));
    }

    /** Sum over {@code axes}, then put size-1 axes back where they were (keepdims). */
    public int sumKeep(int x, List<Integer> axes) {
        var t = type(x);
        int r = reduce(ReduceFn.SUM, x, axes);
        return reshape(r, keptShape(t.shape(), axes));
    }

    public int argReduce(boolean max, int x, int axis) {
        return emit(new ArgReduce(max, axis), List.of(x), TypeRules.reduce(type(x), List.of(axis), DType.I64));
    }

    public int matmul(int a, int b) { return emit(new MatMul(), List.of(a, b), TypeRules.matmul(type(a), type(b))); }

    public int softmax(int x, List<Integer> axes) { return emit(new Softmax(sorted(axes)), List.of(x), type(x)); }

    public int logSoftmax(int x, List<Integer> axes) { return emit(new LogSoftmax(sorted(axes)), List.of(x), type(x)); }

    public int logSumExp(int x, List<Integer> axes) {
        return emit(new LogSumExp(sorted(axes)), List.of(x), TypeRules.reduce(type(x), sorted(axes), type(x).dtype()));
    }

    // ---- helpers ----

    /** The shape with the given axes set to 1. */
    public static List<DimExpr> keptShape(List<DimExpr> shape, List<Integer> axes) {
        var out = new ArrayList<>(shape);
        for (int a : axes) out.set(a, DimExpr.constant(1));
        return out;
    }

    /** NumPy's broadcast of two shapes, or null. */
    public static List<DimExpr> broadcastShape(List<DimExpr> a, List<DimExpr> b) {
        int r = Math.max(a.size(), b.size());
        var out = new ArrayList<DimExpr>();
        DimExpr one = DimExpr.constant(1);
        for (int i = 0; i < r; i++) {
            DimExpr x = i < r - a.size() ? one : a.get(i - (r - a.size()));
            DimExpr y = i < r - b.size() ? one : b.get(i - (r - b.size()));
            if (x.equals(y) || y.equals(one)) out.add(x);
            else if (x.equals(one)) out.add(y);
            else return null;
        }
        return out;
    }

    private static boolean isIdentity(List<Integer> perm) {
        for (int i = 0; i < perm.size(); i++) if (perm.get(i) != i) return false;
        return true;
    }

    private static List<Integer> sorted(List<Integer> axes) { return axes.stream().sorted().toList(); }
}
