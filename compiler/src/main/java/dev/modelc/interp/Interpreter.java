package dev.modelc.interp;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op.*;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The reference interpreter of the Graph IR: the plain, direct reading of every op's semantics
 * that faster backends are checked against. Values are whole tensors in Java arrays; f32 results
 * are rounded to float after every op and i32 results wrapped to 32 bits, so that narrow types
 * behave as they do natively, while sums (reductions, matmul, convolution) accumulate in double
 * and round once.
 */
public final class Interpreter {
    private Interpreter() {}

    /**
     * Runs the graph on the given inputs, keyed by the name of each {@link Input} node (inputs of
     * every role: data, parameters, state, keys). Tensors whose names the graph does not use are
     * ignored. Only the nodes the results depend on are evaluated, so an input that no result
     * needs may be left out. Returns the graph's results by name, in the graph's order.
     *
     * @throws InterpreterException when an input is missing or does not match its declared type,
     *     or an op fails on its values (integer division by zero, a slice off its operand, …)
     */
    public static Map<String, Tensor> run(Graph g, Map<String, Tensor> inputs) {
        Objects.requireNonNull(g, "graph");
        Objects.requireNonNull(inputs, "inputs");
        List<Node> live = liveNodes(g);
        for (Node n : live) {
            DType t = n.type().dtype();
            if (t == DType.F16 || t == DType.BF16) {
                throw new InterpreterException("the interpreter does not support " + t + " (" + where(g, n) + ")");
            }
        }
        var bound = InputBinder.bind(live.stream().filter(n -> n.op() instanceof Input).toList(), inputs);

        Set<Integer> results = new HashSet<>();
        for (var r : g.results()) results.add(r.value());
        Map<Integer, Integer> lastUse = new HashMap<>();
        for (int pos = 0; pos < live.size(); pos++) for (int in : live.get(pos).inputs()) lastUse.put(in, pos);

        Map<Integer, Value> values = new HashMap<>(bound.values());
        for (int pos = 0; pos < live.size(); pos++) {
            Node n = live.get(pos);
            if (!(n.op() instanceof Input)) {
                var args = new ArrayList<Value>();
                for (int in : n.inputs()) args.add(values.get(in));
                values.put(n.id(), evaluateChecked(g, n, args, bound.dims()));
            }
            // intermediate values die at their last use, so a long graph does not hold them all
            for (int in : n.inputs()) if (lastUse.get(in) == pos && !results.contains(in)) values.remove(in);
        }

        var out = new LinkedHashMap<String, Tensor>();
        for (var r : g.results()) out.put(r.name(), values.get(r.value()).toTensor());
        return out;
    }

    /**
     * Checks {@code inputs} against the graph's input nodes exactly as {@link #run} does (same
     * errors) and returns the values of the dimension variables they bind. For backends that
     * validate with the interpreter's rules and then run compiled code.
     */
    public static Map<String, Long> bindInputs(Graph g, Map<String, Tensor> inputs) {
        return InputBinder.dims(liveNodes(g).stream().filter(n -> n.op() instanceof Input).toList(), inputs);
    }

    /**
     * {@link #bindInputs} for repeated calls on the inputs named in {@code names} only (the
     * others must have fixed shapes and are the caller's to check): the graph is looked at once.
     */
    public static java.util.function.Function<Map<String, Tensor>, Map<String, Long>> inputBinder(Graph g, Set<String> names) {
        var nodes = liveNodes(g).stream().filter(n -> n.op() instanceof Input in && names.contains(in.name())).toList();
        return inputs -> InputBinder.dims(nodes, inputs);
    }

    /** The nodes the results depend on, in definition order. */
    private static List<Node> liveNodes(Graph g) {
        Map<Integer, Node> byId = g.byId();
        Set<Integer> needed = new HashSet<>();
        for (var r : g.results()) {
            if (!byId.containsKey(r.value())) throw new InterpreterException(g.name() + ": result " + r.name() + " = %" + r.value() + " is not defined");
            needed.add(r.value());
        }
        List<Node> nodes = g.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) if (needed.contains(nodes.get(i).id())) needed.addAll(nodes.get(i).inputs());
        return nodes.stream().filter(n -> needed.contains(n.id())).toList();
    }

    /** Evaluates one node, checks the result against the node's type, and names the node in any error. */
    private static Value evaluateChecked(Graph g, Node n, List<Value> args, Map<String, Long> dims) {
        try {
            int[] shape = concreteShape(n, dims);
            Value v = evaluate(n, shape, args, dims);
            if (v.dtype() != n.type().dtype() || !Arrays.equals(v.dims(), shape)) {
                throw new InterpreterException("computed " + v.describe() + " where the node's type says " + Dims.typeString(n.type().dtype().spelling, shape));
            }
            return v;
        } catch (InterpreterException e) {
            throw new InterpreterException(e.getMessage() + " (" + where(g, n) + ")", e);
        } catch (ArithmeticException e) {
            throw new InterpreterException("index arithmetic overflows (" + where(g, n) + ")", e);
        }
    }

    private static String where(Graph g, Node n) {
        String at = "entry " + g.name() + ", " + GraphPrinter.line(n);
        return n.origin() == null ? at : "from " + n.origin().location() + "; " + at;
    }

    private static int[] concreteShape(Node n, Map<String, Long> dims) {
        List<DimExpr> shape = n.type().shape();
        int[] out = new int[shape.size()];
        for (int a = 0; a < out.length; a++) {
            long v = evaluate(shape.get(a), dims);
            if (v < 0) throw new InterpreterException("axis " + a + " (" + shape.get(a) + ") of the result is " + v);
            if (v > Integer.MAX_VALUE) throw new InterpreterException("axis " + a + " (" + shape.get(a) + ") of the result is too large: " + v);
            out[a] = (int) v;
        }
        Dims.size(out);
        return out;
    }

    private static long evaluate(DimExpr d, Map<String, Long> dims) {
        var v = d.evaluate(dims);
        if (v.isEmpty()) {
            var unbound = d.variables().stream().filter(x -> !dims.containsKey(x)).toList();
            throw new InterpreterException("dimension variable " + String.join(", ", unbound) + " is not bound by any input");
        }
        return v.getAsLong();
    }

    private static long[] evaluateAll(List<DimExpr> ds, Map<String, Long> dims) {
        long[] out = new long[ds.size()];
        for (int i = 0; i < out.length; i++) out[i] = evaluate(ds.get(i), dims);
        return out;
    }

    private static Value evaluate(Node n, int[] shape, List<Value> args, Map<String, Long> dims) {
        DType dtype = n.type().dtype();
        return switch (n.op()) {
            case Input i -> throw new IllegalStateException("inputs are bound before evaluation");
            case Constant c -> ShapeOps.fill(dtype, shape, c.value());
            case DimSize d -> ShapeOps.fill(dtype, shape, evaluate(d.dim(), dims));
            case Iota i -> ShapeOps.iota(dtype, shape, i.axis());
            case Unary u -> Elementwise.unary(u.fn(), args.get(0));
            case Binary b -> Elementwise.binary(b.fn(), args.get(0), args.get(1));
            case Select s -> Elementwise.select(args.get(0), args.get(1), args.get(2));
            case Convert c -> Elementwise.convert(args.get(0), dtype);
            case Broadcast b -> ShapeOps.broadcast(args.get(0), b.dims(), shape);
            case Reshape r -> ShapeOps.reshape(args.get(0), shape);
            case Transpose t -> ShapeOps.transpose(args.get(0), t.perm());
            case Slice s -> ShapeOps.slice(args.get(0), evaluateAll(s.start(), dims), s.step(), shape);
            case Pad p -> ShapeOps.pad(args.get(0), evaluateAll(p.low(), dims), p.interior(), shape);
            case Concat c -> ShapeOps.concat(args, c.axis(), shape);
            case Reduce r -> Reductions.reduce(r.fn(), args.get(0), r.axes());
            case ArgReduce a -> Reductions.argReduce(args.get(0), a.max(), a.axis());
            case MatMul m -> LinearAlgebra.matmul(args.get(0), args.get(1));
            case Softmax s -> Reductions.softmax(args.get(0), s.axes(), false);
            case LogSoftmax s -> Reductions.softmax(args.get(0), s.axes(), true);
            case LogSumExp s -> Reductions.logSumExp(args.get(0), s.axes());
            case Conv2D c -> Convolution.conv2d(args.get(0), args.get(1), c.window(), shape);
            case Conv2DInputGrad c -> Convolution.inputGrad(args.get(0), args.get(1), c.window(), shape);
            case Conv2DKernelGrad c -> Convolution.kernelGrad(args.get(0), args.get(1), c.window(), shape);
            case MaxPool p -> Pooling.maxPool(args.get(0), p.pool(), shape);
            case MaxPoolGrad p -> Pooling.maxPoolGrad(args.get(0), args.get(1), p.pool());
            case MaxPoolSelect p -> Pooling.maxPoolSelect(args.get(0), args.get(1), p.pool(), shape);
            case AvgPool p -> Pooling.avgPool(args.get(0), p.pool(), shape);
            case AvgPoolGrad p -> Pooling.avgPoolGrad(args.get(0), p.pool(), shape);
            case RandomUniform r -> ShapeOps.randomUniform(args.get(0), r.stream(), dtype, shape);
        };
    }
}
