package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import java.util.List;

/**
 * Short factories for building Loop IR by hand (tests, hand-written kernels), meant for static
 * import: {@code loop("i", idx(0), dim("N"), store(0, v("i"), add(load(1, v("i"), F32), f32(1))))}.
 * Result types are worked out as the records document (comparisons give bool).
 */
public final class LoopIr {
    private LoopIr() {}

    // ---- expressions ----

    public static Expr idx(long v) { return new Expr.Index(v); }

    public static Expr constant(DType t, double v) { return new Expr.Const(t, v); }

    public static Expr f32(double v) { return new Expr.Const(DType.F32, v); }

    public static Expr f64(double v) { return new Expr.Const(DType.F64, v); }

    public static Expr i32(long v) { return new Expr.Const(DType.I32, v); }

    public static Expr i64(long v) { return new Expr.Const(DType.I64, v); }

    public static Expr bool(boolean v) { return new Expr.Const(DType.BOOL, v ? 1 : 0); }

    /** An index local (a loop counter). */
    public static Expr v(String name) { return new Expr.Var(name, LType.INDEX); }

    public static Expr v(String name, LType type) { return new Expr.Var(name, type); }

    public static Expr dim(String name) { return new Expr.Dim(name); }

    public static LType scalar(DType t) { return LType.scalar(t); }

    public static LType vec(DType t, int lanes) { return new LType.Vector(t, lanes); }

    public static Expr load(int buffer, Expr index, DType t) { return new Expr.Load(buffer, index, LType.scalar(t)); }

    public static Expr load(int buffer, Expr index, LType t) { return new Expr.Load(buffer, index, t); }

    public static Expr unary(UnaryFn fn, Expr a) { return new Expr.Unary(fn, a); }

    /** {@code a fn b}; a comparison gives bool with the operands' lanes. */
    public static Expr binary(BinaryFn fn, Expr a, Expr b) {
        LType t = fn.isComparison() ? new LType.Scalar(DType.BOOL).withLanes(a.type().lanes()) : a.type();
        return new Expr.Binary(fn, a, b, t);
    }

    public static Expr add(Expr a, Expr b) { return binary(BinaryFn.ADD, a, b); }

    public static Expr sub(Expr a, Expr b) { return binary(BinaryFn.SUB, a, b); }

    public static Expr mul(Expr a, Expr b) { return binary(BinaryFn.MUL, a, b); }

    public static Expr div(Expr a, Expr b) { return binary(BinaryFn.DIV, a, b); }

    public static Expr mod(Expr a, Expr b) { return binary(BinaryFn.MOD, a, b); }

    public static Expr lt(Expr a, Expr b) { return binary(BinaryFn.LT, a, b); }

    public static Expr select(Expr c, Expr a, Expr b) { return new Expr.Select(c, a, b); }

    public static Expr cast(Expr a, LType to) { return new Expr.Cast(a, to); }

    public static Expr splat(Expr scalar, int lanes) { return new Expr.Splat(scalar, lanes); }

    public static Expr fma(Expr a, Expr b, Expr c) { return new Expr.Fma(a, b, c); }

    public static Expr reduceLanes(BinaryFn fn, Expr vector) { return new Expr.ReduceLanes(fn, vector); }

    public static Expr randomUniform(Expr key, Expr stream, Expr index, DType t) {
        return new Expr.Call(Expr.Intrinsic.RANDOM_UNIFORM, List.of(key, stream, index), LType.scalar(t));
    }

    // ---- statements ----

    public static Stmt.Block block(Stmt... body) { return new Stmt.Block(List.of(body)); }

    public static Stmt loop(String var, Expr lo, Expr hi, Stmt... body) { return loop(var, lo, hi, 1, body); }

    public static Stmt loop(String var, Expr lo, Expr hi, long step, Stmt... body) {
        return new Stmt.Loop(var, lo, hi, step, Stmt.Schedule.SERIAL, block(body));
    }

    public static Stmt parallel(String var, Expr lo, Expr hi, Stmt... body) {
        return new Stmt.Loop(var, lo, hi, 1, Stmt.Schedule.PARALLEL, block(body));
    }

    public static Stmt parallel(String var, Expr lo, Expr hi, long step, Stmt... body) {
        return new Stmt.Loop(var, lo, hi, step, Stmt.Schedule.PARALLEL, block(body));
    }

    public static Stmt declare(String var, LType type, Expr init) { return new Stmt.Declare(var, type, init); }

    public static Stmt assign(String var, Expr value) { return new Stmt.Assign(var, value); }

    public static Stmt store(int buffer, Expr index, Expr value) { return new Stmt.Store(buffer, index, value); }

    public static Stmt ifThen(Expr cond, Stmt then) { return new Stmt.If(cond, then, block()); }

    public static Stmt ifElse(Expr cond, Stmt then, Stmt otherwise) { return new Stmt.If(cond, then, otherwise); }
}
