package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.modelc.codegen.jvm.ExprGen.Val;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import java.util.function.IntConsumer;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits vector expressions with the Vector API. Operations whose Vector API form gives exactly the
 * interpreter's result lane by lane (IEEE add, sub, mul, div, sqrt, fma; Math.max/min semantics;
 * wrapping integer arithmetic; Java-cast conversions; comparisons; blends) use it directly.
 * Everything else, the transcendental functions included, runs the scalar operation on each lane
 * ({@link #perLane}): the Vector API's own exp, log, tanh... may differ from Math's by an ulp, and
 * differently in interpreted and compiled code, which would make results depend on JIT timing.
 */
final class VectorGen {
    private final ExprGen gen;
    private final MethodVisitor mv;

    VectorGen(ExprGen gen) {
        this.gen = gen;
        this.mv = gen.mv;
    }

    Val emit(Expr e) {
        LType type = e.type();
        Kind k = Kind.of(type);
        int lanes = type.lanes();
        VectorOps.requireSpecies(k, lanes);
        return switch (e) {
            case Expr.Var v -> {
                mv.visitVarInsn(ALOAD, gen.locals.get(v.name()).slot());
                yield Val.of(type);
            }
            case Expr.Load l -> {
                VectorOps.species(mv, k == Kind.BOOL ? VectorOps.CANONICAL_MASK : k, lanes);
                gen.loadBuffer(l.buffer());
                gen.emit(l.index());
                if (k == Kind.BOOL) VectorOps.maskFromArray(mv);
                else VectorOps.fromArray(mv, k);
                yield Val.of(type);
            }
            case Expr.Splat s -> {
                VectorOps.species(mv, k == Kind.BOOL ? VectorOps.CANONICAL_MASK : k, lanes);
                gen.emit(s.scalar());
                if (k == Kind.BOOL) VectorOps.maskAll(mv);
                else VectorOps.broadcast(mv, k);
                yield Val.of(type);
            }
            case Expr.Unary u -> unary(u, k, lanes);
            case Expr.Binary b -> binary(b);
            case Expr.Select s -> select(s, k, lanes);
            case Expr.Cast c -> cast(c, k, lanes);
            case Expr.Fma f -> fma(f, k);
            default -> throw new IllegalArgumentException("not a vector expression: " + e);
        };
    }

    // ---- unary ----

    private Val unary(Expr.Unary u, Kind k, int lanes) {
        Val a = gen.emit(u.a());
        if (k == Kind.BOOL) {
            if (u.fn() != dev.modelc.graph.Op.UnaryFn.NOT) throw ScalarOps.unsupported(u.fn().mnemonic(), k);
            VectorOps.maskNot(mv);
            return a;
        }
        switch (u.fn()) {
            case NEG -> VectorOps.unary(mv, k, "neg");
            case ABS -> VectorOps.unary(mv, k, "abs");
            case SQUARE -> { mv.visitInsn(DUP); VectorOps.binary(mv, k, "mul"); }
            case RELU -> { zeros(k, lanes); VectorOps.binary(mv, k, "max"); }
            case SQRT -> {
                if (!k.isFloat()) throw ScalarOps.unsupported("sqrt", k);
                VectorOps.operator(mv, "SQRT", "Unary");
                VectorOps.lanewise(mv, k);
            }
            case FLOOR, CEIL, ROUND -> {
                if (k.isFloat()) return unaryPerLane(u, a, k);
            }
            default -> { return unaryPerLane(u, a, k); }
        }
        return Val.of(u.type());
    }

    private Val unaryPerLane(Expr.Unary u, Val a, Kind k) {
        int t = store(a);
        return perLane(u.type(), i -> ScalarOps.unary(mv, u.fn(), k, () -> lane(t, a, i)));
    }

    private void zeros(Kind k, int lanes) {
        VectorOps.species(mv, k, lanes);
        ScalarOps.constant(mv, k, 0);
        VectorOps.broadcast(mv, k);
    }

    // ---- binary ----

    private Val binary(Expr.Binary b) {
        BinaryFn fn = b.fn();
        Kind k = Kind.of(b.a().type());
        int lanes = b.a().type().lanes();
        if (k == Kind.BOOL) return maskBinary(b, lanes);
        String method = switch (fn) {
            case ADD -> "add";
            case SUB -> "sub";
            case MUL -> "mul";
            case DIV -> k.isFloat() ? "div" : null; // integer division floors: per lane
            case MAX -> "max";
            case MIN -> "min";
            default -> null;
        };
        if (method != null) {
            gen.emit(b.a());
            gen.emit(b.b());
            VectorOps.binary(mv, k, method);
            return Val.of(b.type());
        }
        if (fn.isComparison()) {
            gen.emit(b.a());
            VectorOps.operator(mv, fn.name(), "Comparison");
            gen.emit(b.b());
            VectorOps.compare(mv, k);
            return new Val(b.type(), k);
        }
        if (fn == BinaryFn.AND || fn == BinaryFn.OR) throw ScalarOps.unsupported(fn.mnemonic(), k);
        Val a = gen.emit(b.a());
        int ta = store(a);
        Val c = gen.emit(b.b());
        int tb = store(c);
        return perLane(b.type(), i -> ScalarOps.binary(mv, fn, k, () -> lane(ta, a, i), () -> lane(tb, c, i)));
    }

    /** Logic and comparisons of bool vectors (false < true): a < b is !a & b, a > b is a & !b. */
    private Val maskBinary(Expr.Binary b, int lanes) {
        BinaryFn fn = b.fn();
        boolean swap = fn == BinaryFn.LT || fn == BinaryFn.GE;
        Val first = gen.emit(swap ? b.b() : b.a());
        Val second = gen.emit(swap ? b.a() : b.b());
        if (second.carrier() != first.carrier()) VectorOps.castMask(mv, first.carrier(), lanes);
        switch (fn) {
            case AND -> VectorOps.maskBinary(mv, "and");
            case OR -> VectorOps.maskBinary(mv, "or");
            case EQ -> VectorOps.maskBinary(mv, "eq");
            case NE -> VectorOps.maskBinary(mv, "xor");
            case LT, GT -> VectorOps.maskBinary(mv, "andNot"); // b & !a, a & !b
            case LE, GE -> { VectorOps.maskBinary(mv, "andNot"); VectorOps.maskNot(mv); } // !(a & !b), !(b & !a)
            default -> throw ScalarOps.unsupported(fn.mnemonic(), Kind.BOOL);
        }
        return new Val(b.type(), first.carrier());
    }

    // ---- select, cast, fma, reduce ----

    private Val select(Expr.Select s, Kind k, int lanes) {
        if (!(s.cond().type() instanceof LType.Vector)) return gen.select(s);
        if (k == Kind.BOOL) {
            Val c = gen.emit(s.cond());
            int tc = store(c);
            Val a = gen.emit(s.a());
            int ta = store(a);
            Val b = gen.emit(s.b());
            int tb = store(b);
            return perLane(s.type(), i -> {
                var other = new org.objectweb.asm.Label();
                var end = new org.objectweb.asm.Label();
                lane(tc, c, i);
                mv.visitJumpInsn(IFEQ, other);
                lane(ta, a, i);
                mv.visitJumpInsn(GOTO, end);
                mv.visitLabel(other);
                lane(tb, b, i);
                mv.visitLabel(end);
            });
        }
        gen.emit(s.b());
        gen.emit(s.a());
        Val c = gen.emit(s.cond());
        if (c.carrier() != k) VectorOps.castMask(mv, k, lanes);
        VectorOps.blend(mv, k);
        return Val.of(s.type());
    }

    private Val cast(Expr.Cast c, Kind to, int lanes) {
        Val a = gen.emit(c.a());
        Kind from = a.kind();
        if (from == to) return a;
        if (to == Kind.BOOL) { // != 0, so NaN is true
            VectorOps.operator(mv, "NE", "Comparison");
            mv.visitInsn(LCONST_0);
            VectorOps.compareScalar(mv, from);
            return new Val(c.type(), from);
        }
        if (from == Kind.BOOL) { // zeros blended with ones where the mask is set
            int t = store(a);
            zeros(to, lanes);
            mv.visitInsn(LCONST_1);
            mv.visitVarInsn(ALOAD, t);
            if (a.carrier() != to) VectorOps.castMask(mv, to, lanes);
            VectorOps.blendScalar(mv, to);
            return Val.of(c.type());
        }
        VectorOps.operator(mv, from.conversionLetter() + "2" + to.conversionLetter(), "Conversion");
        VectorOps.species(mv, to, lanes);
        mv.visitInsn(ICONST_0);
        VectorOps.convertShape(mv, from, to);
        return Val.of(c.type());
    }

    private Val fma(Expr.Fma f, Kind k) {
        gen.emit(f.a());
        gen.emit(f.b());
        if (k.isFloat()) {
            gen.emit(f.c());
            VectorOps.fma(mv, k);
        } else {
            VectorOps.binary(mv, k, "mul");
            gen.emit(f.c());
            VectorOps.binary(mv, k, "add");
        }
        return Val.of(f.type());
    }

    /**
     * A scalar from a vector's lanes. Float sums and products fold left to right from lane 0, as
     * the evaluator defines them (the Vector API leaves the order of its float reductions open);
     * max, min and integer reductions do not depend on order and use the Vector API.
     */
    void reduceLanes(Expr.ReduceLanes r) {
        Val v = gen.emit(r.vector());
        Kind k = v.kind();
        BinaryFn fn = r.fn();
        if (k == Kind.BOOL) {
            switch (fn) {
                case AND -> VectorOps.maskTest(mv, "allTrue");
                case OR -> VectorOps.maskTest(mv, "anyTrue");
                default -> throw ScalarOps.unsupported("lanes_" + fn.mnemonic(), k);
            }
            return;
        }
        boolean ordered = k.isFloat() && (fn == BinaryFn.ADD || fn == BinaryFn.MUL);
        if (!ordered) {
            if (fn != BinaryFn.ADD && fn != BinaryFn.MUL && fn != BinaryFn.MAX && fn != BinaryFn.MIN) {
                throw ScalarOps.unsupported("lanes_" + fn.mnemonic(), k);
            }
            VectorOps.operator(mv, fn.name(), "Associative");
            VectorOps.reduceLanes(mv, k);
            return;
        }
        int t = store(v);
        lane(t, v, 0);
        for (int i = 1; i < v.lanes(); i++) {
            int lane = i;
            ScalarOps.binary(mv, fn, k, () -> {}, () -> lane(t, v, lane));
        }
    }

    // ---- lane by lane ----

    /** Stores the vector or mask on the stack in a fresh local. */
    private int store(Val v) {
        int slot = gen.locals.allocate(v.type());
        mv.visitVarInsn(ASTORE, slot);
        return slot;
    }

    /** Pushes lane {@code i} of the vector in local {@code slot} as a scalar (a mask's lane as int 0/1). */
    private void lane(int slot, Val v, int i) {
        mv.visitVarInsn(ALOAD, slot);
        ScalarOps.push(mv, i);
        VectorOps.lane(mv, v.kind());
    }

    /**
     * Builds a vector of {@code type} whose lane {@code i} is the scalar that {@code laneValue}
     * pushes: broadcast lane 0, then set each other lane; a mask from a long of lane bits.
     */
    private Val perLane(LType type, IntConsumer laneValue) {
        Kind k = Kind.of(type);
        int lanes = type.lanes();
        if (k == Kind.BOOL) {
            VectorOps.species(mv, VectorOps.CANONICAL_MASK, lanes);
            mv.visitInsn(LCONST_0);
            for (int i = 0; i < lanes; i++) {
                laneValue.accept(i);
                mv.visitInsn(I2L);
                ScalarOps.push(mv, i);
                mv.visitInsn(LSHL);
                mv.visitInsn(LOR);
            }
            VectorOps.maskFromLong(mv);
            return Val.of(type);
        }
        VectorOps.species(mv, k, lanes);
        laneValue.accept(0);
        VectorOps.broadcast(mv, k);
        for (int i = 1; i < lanes; i++) {
            ScalarOps.push(mv, i);
            laneValue.accept(i);
            VectorOps.withLane(mv, k);
        }
        return Val.of(type);
    }
}
