package dev.modelc.codegen.testing;

import static dev.modelc.loops.LoopIr.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.LoopProgram.Buffer;
import dev.modelc.loops.LoopProgram.Kernel;
import dev.modelc.loops.LoopProgram.Kind;
import dev.modelc.loops.Stmt;
import java.util.HashMap;
import java.util.List;

/** Small hand-built Loop IR programs for the backend tests. */
public final class Programs {
    private Programs() {}

    public static Buffer input(int id, String name, DType t, DimExpr... shape) {
        return new Buffer(id, name, t, List.of(shape), Kind.INPUT, -1);
    }

    /** A temporary in a slot of its own (slot = id). */
    public static Buffer temp(int id, String name, DType t, DimExpr... shape) {
        return new Buffer(id, name, t, List.of(shape), Kind.TEMP, id);
    }

    public static DimExpr n(long v) { return DimExpr.constant(v); }

    public static DimExpr dimVar(String name) { return DimExpr.var(name); }

    /** One kernel over {@code buffers}: inputs by name, every temporary a result by name. */
    public static LoopProgram program(List<String> dims, List<Buffer> buffers, Stmt... body) {
        var inputs = new HashMap<String, Integer>();
        var results = new HashMap<String, Integer>();
        for (var b : buffers) (b.kind() == Kind.INPUT ? inputs : results).put(b.name(), b.id());
        var ids = buffers.stream().map(Buffer::id).toList();
        return new LoopProgram("test", dims, buffers, List.of(new Kernel("k", block(body), ids, ids)), inputs, results);
    }

    public static LoopProgram program(List<Buffer> buffers, Stmt... body) { return program(List.of(), buffers, body); }

    /**
     * {@code y[i] = f(i)} for i in [0, n): vectors of {@code lanes} over the largest multiple of
     * lanes, then scalars for the tail; {@code f} gets the index and the lane count (1 in the tail).
     */
    public static Stmt[] vectorThenTail(int y, Expr n, int lanes, java.util.function.BiFunction<Expr, Integer, Expr> f) {
        Expr end = mul(div(n, idx(lanes)), idx(lanes));
        return new Stmt[] {
            loop("i", idx(0), end, lanes, store(y, v("i"), f.apply(v("i"), lanes))),
            loop("t", end, n, store(y, v("t"), f.apply(v("t"), 1))),
        };
    }

    /** A load of {@code lanes} elements (a scalar for 1). */
    public static Expr loadLanes(int buffer, Expr index, DType t, int lanes) { return load(buffer, index, type(t, lanes)); }

    public static LType type(DType t, int lanes) { return lanes == 1 ? LType.scalar(t) : vec(t, lanes); }

    /** y = x * 2 over N elements of f32 (8-lane vectors, then a tail). */
    public static LoopProgram doubling() {
        return program(List.of("N"), List.of(input(0, "x", DType.F32, dimVar("N")), temp(1, "y", DType.F32, dimVar("N"))),
                vectorThenTail(1, dim("N"), 8, (i, l) -> mul(loadLanes(0, i, DType.F32, l), l == 1 ? f32(2) : splat(f32(2), l))));
    }
}
