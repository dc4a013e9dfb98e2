package dev.modelc.interp;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Test helpers: one-op graphs over concrete tensors, and tensor constructors. */
final class Interp {
    private Interp() {}

    static DimExpr c(long v) { return DimExpr.constant(v); }

    static List<DimExpr> shape(long... dims) {
        var out = new ArrayList<DimExpr>();
        for (long d : dims) out.add(c(d));
        return out;
    }

    static DType dtypeOf(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> DType.F32;
            case F64 -> DType.F64;
            case I32 -> DType.I32;
            case I64 -> DType.I64;
            case BOOL -> DType.BOOL;
            case F16 -> DType.F16;
            case BF16 -> DType.BF16;
        };
    }

    /** The tensor's exact type, every dimension a constant. */
    static TensorType typeOf(Tensor t) { return new TensorType(dtypeOf(t), shape(t.shape())); }

    /**
     * Builds a graph whose inputs a0, a1, … have the given tensors' types, adds what {@code body}
     * emits (it receives the input node ids and returns the result node id), and runs it.
     */
    static Tensor run(Function<GraphBuilder, Function<List<Integer>, Integer>> body, Tensor... args) {
        var g = new GraphBuilder();
        var ids = new ArrayList<Integer>();
        var in = new LinkedHashMap<String, Tensor>();
        for (int i = 0; i < args.length; i++) {
            ids.add(g.input(Role.INPUT, "a" + i, typeOf(args[i])));
            in.put("a" + i, args[i]);
        }
        int out = body.apply(g).apply(ids);
        Graph graph = g.build("test", List.of(new Graph.Result("out", out)));
        return Interpreter.run(graph, in).get("out");
    }

    /** Runs one op on the arguments, with the given result type. */
    static Tensor op(Op op, TensorType result, Tensor... args) {
        return run(g -> ids -> g.emit(op, ids, result), args);
    }

    static Tensor unary(Op.UnaryFn fn, Tensor x) { return run(g -> ids -> g.unary(fn, ids.get(0)), x); }

    static Tensor binary(Op.BinaryFn fn, Tensor a, Tensor b) { return run(g -> ids -> g.binary(fn, ids.get(0), ids.get(1)), a, b); }

    static Tensor f32(float... v) { return Tensor.of(v, v.length); }

    static Tensor f64(double... v) { return Tensor.of(v, v.length); }

    static Tensor i32(int... v) { return Tensor.of(v, v.length); }

    static Tensor i64(long... v) { return Tensor.of(v, v.length); }

    static Tensor bools(boolean... v) { return Tensor.of(v, v.length); }

    static Map<String, Tensor> inputs(Object... nameThenTensor) {
        var m = new LinkedHashMap<String, Tensor>();
        for (int i = 0; i < nameThenTensor.length; i += 2) m.put((String) nameThenTensor[i], (Tensor) nameThenTensor[i + 1]);
        return m;
    }
}
