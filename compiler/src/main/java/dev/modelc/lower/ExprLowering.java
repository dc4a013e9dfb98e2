package dev.modelc.lower;

import dev.modelc.autodiff.Autodiff;
import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.check.FnInstance;
import dev.modelc.check.Indexing;
import dev.modelc.check.Promotion;
import dev.modelc.check.Type;
import dev.modelc.check.Typed;
import dev.modelc.check.Values;
import dev.modelc.graph.Conversions;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.graph.TensorType;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Lowers checked expressions to Graph IR: operators with their promotions and broadcasts made
 * explicit, literals and other compile-time values as constants, indexing as slices, calls of
 * user and std functions inlined (their dimension variables are already the caller's), built-ins
 * through {@link BuiltinLowering}, and {@code grad} through {@link Autodiff}.
 */
final class ExprLowering {
    final GraphBuilder b;
    /** Whether dropout is active (only in the training step). */
    final boolean training;
    private final IntSupplier key;
    private int streams;
    private final BuiltinLowering builtins = new BuiltinLowering(this);
    /**
     * The exact values of weak float literals by node: such a constant is made as f32, its weak
     * type, and must not be rounded through f32 when it meets an f64 operand ({@code x * 0.1}).
     */
    private final Map<Integer, Double> weakFloats = new HashMap<>();

    ExprLowering(GraphBuilder b, boolean training, IntSupplier key) {
        this.b = b;
        this.training = training;
        this.key = key;
    }

    int randomKey() { return key.getAsInt(); }

    /** A fresh random stream number: each dropout site draws independent numbers. */
    long nextStream() { return streams++; }

    LValue lower(Expr e, Context cx) {
        var prior = b.origin(e.span());
        try {
            return lowerHere(e, cx);
        } finally {
            b.origin(prior);
        }
    }

    int tensor(Expr e, Context cx) { return lower(e, cx).id(); }

    private LValue lowerHere(Expr e, Context cx) {
        Typed t = cx.typed(e);
        // Compile-time scalars (literals, arithmetic on them, dimension values) become constants.
        if (t.type() instanceof Type.Tensor tt && tt.isScalar() && isScalarValue(t.value()) && !(e instanceof Grad)) {
            int id = constant(t.value(), tt.dtype());
            if (tt.weak() && t.value() instanceof Double exact) weakFloats.put(id, exact);
            return new LValue.Value(id);
        }
        if (t.type() instanceof Type.Str || t.type() instanceof Type.DTypeValue || t.type() instanceof Type.Init) {
            return new LValue.Static(t.value());
        }
        return switch (e) {
            case Name n -> {
                var v = cx.lookup(n.name());
                if (v == null) throw new IllegalStateException("unbound name " + n.name() + " at " + n.span());
                yield v;
            }
            case Attribute a -> new LValue.Value(b.transpose(tensor(a.target(), cx), List.of(1, 0)));
            case Call c -> call(c, cx);
            case Index x -> index(x, cx);
            case Binary bin -> new LValue.Value(binary(bin, cx));
            case Unary u -> new LValue.Value(unary(u, cx));
            case Ast.Tuple tu -> sequence(tu.elements(), cx);
            case ListExpr l -> sequence(l.elements(), cx);
            case Grad g -> grad(g, cx);
            case IntLit i -> throw new IllegalStateException("literal without a value");
            case FloatLit f -> throw new IllegalStateException("literal without a value");
            case BoolLit bl -> throw new IllegalStateException("literal without a value");
            case StringLit s -> new LValue.Static(s.value());
        };
    }

    private LValue sequence(List<Expr> elements, Context cx) {
        var out = new ArrayList<LValue>();
        for (var el : elements) out.add(lower(el, cx));
        return new LValue.Tuple(out);
    }

    static boolean isScalarValue(Object v) {
        return v instanceof Double || v instanceof Boolean || v instanceof DimExpr;
    }

    /** A scalar constant of {@code dtype} from a compile-time value; a symbolic dimension becomes a dim_size. */
    int constant(Object value, DType dtype) {
        return switch (value) {
            case Double d -> b.scalar(Conversions.cast(d, dtype), dtype);
            case Boolean z -> b.scalar(Conversions.cast(z ? 1 : 0, dtype), dtype);
            case DimExpr d when d.isConstant() -> b.scalar(Conversions.cast(d.constantValue().getAsLong(), dtype), dtype);
            case DimExpr d -> b.convert(b.dimSize(d, DType.I64), dtype);
            default -> throw new IllegalStateException("not a scalar: " + value);
        };
    }

    static TensorType typeOf(Type t) {
        if (!(t instanceof Type.Tensor tt)) throw new IllegalStateException("not a tensor type: " + t);
        return new TensorType(tt.dtype(), tt.shape());
    }

    /** Converts {@code id} to {@code dtype} and broadcasts it to {@code shape}; a constant is re-made instead. */
    int coerce(int id, DType dtype, List<DimExpr> shape) {
        var n = b.node(id);
        if (n.op() instanceof Op.Constant c && n.type().dtype() != dtype) {
            id = b.constant(Conversions.cast(weakFloats.getOrDefault(id, c.value()), dtype), n.type().withDtype(dtype));
        } else {
            id = b.convert(id, dtype);
        }
        return b.broadcastTo(id, shape);
    }

    int coerce(int id, DType dtype) { return coerce(id, dtype, b.type(id).shape()); }

    /** Coerces a lowered value to a checked type (element type; tuples element by element). */
    LValue coerce(LValue v, Type t) {
        if (v instanceof LValue.Value val && t instanceof Type.Tensor tt) return new LValue.Value(coerce(val.id(), tt.dtype()));
        if (v instanceof LValue.Tuple tu && t instanceof Type.Tuple tt && tu.elements().size() == tt.elements().size()) {
            var out = new ArrayList<LValue>();
            for (int i = 0; i < tu.elements().size(); i++) out.add(coerce(tu.elements().get(i), tt.elements().get(i)));
            return new LValue.Tuple(out);
        }
        return v;
    }

    // ---- operators ----

    private int binary(Binary e, Context cx) {
        var tl = cx.typed(e.left());
        var tr = cx.typed(e.right());
        var result = typeOf(cx.typed(e).type());
        if (e.op() == BinOp.MATMUL) return matmul(tensor(e.left(), cx), tensor(e.right(), cx), result);
        DType common = e.op().isComparison() ? Promotion.result(tl.tensor(), tr.tensor()).dtype() : result.dtype();
        int l = coerce(tensor(e.left(), cx), common, result.shape());
        int r = coerce(tensor(e.right(), cx), common, result.shape());
        return b.binary(switch (e.op()) {
            case ADD -> BinaryFn.ADD;
            case SUB -> BinaryFn.SUB;
            case MUL -> BinaryFn.MUL;
            case DIV -> BinaryFn.DIV;
            case MOD -> BinaryFn.MOD;
            case POW -> BinaryFn.POW;
            case LT -> BinaryFn.LT;
            case LE -> BinaryFn.LE;
            case GT -> BinaryFn.GT;
            case GE -> BinaryFn.GE;
            case EQ -> BinaryFn.EQ;
            case NE -> BinaryFn.NE;
            case AND -> BinaryFn.AND;
            case OR -> BinaryFn.OR;
            case MATMUL -> throw new IllegalStateException();
        }, l, r);
    }

    private int unary(Ast.Unary e, Context cx) {
        var result = typeOf(cx.typed(e).type());
        int x = coerce(tensor(e.operand(), cx), result.dtype());
        return switch (e.op()) {
            case POS -> x;
            case NEG -> b.unary(UnaryFn.NEG, x);
            case NOT -> b.unary(UnaryFn.NOT, x);
        };
    }

    /** NumPy's matmul: 1-D operands become a row/column, batch dimensions broadcast. */
    int matmul(int a, int c, TensorType result) {
        a = coerce(a, result.dtype());
        c = coerce(c, result.dtype());
        var ta = b.type(a);
        var tc = b.type(c);
        if (ta.rank() == 1) a = b.reshape(a, List.of(DimExpr.constant(1), ta.dim(0)));
        if (tc.rank() == 1) c = b.reshape(c, List.of(tc.dim(0), DimExpr.constant(1)));
        ta = b.type(a);
        tc = b.type(c);
        var batch = GraphBuilder.broadcastShape(ta.shape().subList(0, ta.rank() - 2), tc.shape().subList(0, tc.rank() - 2));
        var sa = new ArrayList<>(batch);
        sa.addAll(ta.shape().subList(ta.rank() - 2, ta.rank()));
        var sc = new ArrayList<>(batch);
        sc.addAll(tc.shape().subList(tc.rank() - 2, tc.rank()));
        int m = b.matmul(b.broadcastTo(a, sa), b.broadcastTo(c, sc));
        return b.reshape(m, result.shape());
    }

    // ---- indexing ----

    private LValue index(Index x, Context cx) {
        var target = cx.typed(x.target());
        if (target.type() instanceof Type.Tuple tuple) {
            var v = lower(x.target(), cx);
            long i = Values.asLong(cx.typed(((At) x.subscripts().get(0)).index()).value());
            int n = tuple.elements().size();
            return ((LValue.Tuple) v).elements().get((int) (i < 0 ? i + n : i));
        }
        var t = target.tensor();
        var result = typeOf(cx.typed(x).type());
        int src = tensor(x.target(), cx);
        int consumed = (int) x.subscripts().stream().filter(s -> !(s instanceof Ellipsis)).count();
        var start = new ArrayList<DimExpr>();
        var step = new ArrayList<Long>();
        var len = new ArrayList<DimExpr>();
        int axis = 0;
        for (var s : x.subscripts()) {
            switch (s) {
                case Ellipsis el -> {
                    for (int k = 0; k < t.rank() - consumed; k++) full(t.shape().get(axis++), start, step, len);
                }
                case At at -> {
                    long i = Values.asLong(cx.typed(at.index()).value());
                    DimExpr dim = t.shape().get(axis++);
                    start.add(i < 0 ? dim.plus(DimExpr.constant(i)) : DimExpr.constant(i));
                    step.add(1L);
                    len.add(DimExpr.constant(1));
                }
                case Ast.Slice sl -> {
                    Long lo = bound(sl.lo(), cx);
                    Long hi = bound(sl.hi(), cx);
                    long st = sl.step() == null ? 1 : bound(sl.step(), cx);
                    DimExpr dim = t.shape().get(axis++);
                    DimExpr n = Indexing.sliceLength(dim, lo, hi, st);
                    start.add(n.equals(DimExpr.constant(0)) ? DimExpr.constant(0) : sliceStart(dim, lo, st));
                    step.add(st);
                    len.add(n);
                }
            }
        }
        while (axis < t.rank()) full(t.shape().get(axis++), start, step, len);
        boolean whole = len.equals(t.shape()) && step.stream().allMatch(v -> v == 1);
        int sliced = whole ? src : b.slice(src, start, step, len);
        return new LValue.Value(b.reshape(sliced, result.shape()));
    }

    private static void full(DimExpr dim, List<DimExpr> start, List<Long> step, List<DimExpr> len) {
        start.add(DimExpr.constant(0));
        step.add(1L);
        len.add(dim);
    }

    private Long bound(Expr e, Context cx) { return e == null ? null : Values.asLong(cx.typed(e).value()); }

    /** Python's first index of a slice (bounds clamped into the axis). */
    private static DimExpr sliceStart(DimExpr dim, Long lo, long step) {
        if (dim.isConstant()) {
            long n = dim.constantValue().getAsLong();
            if (step > 0) return DimExpr.constant(lo == null ? 0 : Math.max(0, Math.min(n, lo < 0 ? lo + n : lo)));
            return DimExpr.constant(lo == null ? n - 1 : Math.max(-1, Math.min(n - 1, lo < 0 ? lo + n : lo)));
        }
        if (step > 0) return lo == null ? DimExpr.constant(0) : lo < 0 ? dim.plus(DimExpr.constant(lo)) : DimExpr.constant(lo);
        return lo == null ? dim.minus(DimExpr.constant(1)) : lo < 0 ? dim.plus(DimExpr.constant(lo)) : DimExpr.constant(lo);
    }

    // ---- calls ----

    private LValue call(Call c, Context cx) {
        FnInstance inst = cx.calls.get(c);
        if (inst != null) {
            var given = new HashMap<String, LValue>();
            var params = inst.fn().decl().params();
            int pos = 0;
            for (var a : c.args()) {
                String name = a.name() != null ? a.name() : params.get(pos++).name();
                given.put(name, lower(a.value(), cx));
            }
            return inline(inst, given);
        }
        String name = switch (c.callee()) {
            case Name n -> n.name();
            case Attribute a -> a.name();
            default -> throw new IllegalStateException("callee");
        };
        return builtins.lower(name, c, cx);
    }

    /** Inlines a function instance; parameters not in {@code given} take their (compile-time) defaults. */
    LValue inline(FnInstance inst, Map<String, LValue> given) {
        var decl = inst.fn().decl();
        var inner = new Context(inst.types(), inst.calls(), null);
        for (int i = 0; i < decl.params().size(); i++) {
            var p = decl.params().get(i);
            Typed pt = inst.args().get(i);
            LValue v = given.get(p.name());
            if (v == null) {
                v = pt.type() instanceof Type.Tensor tt ? new LValue.Value(constant(pt.value(), tt.dtype())) : new LValue.Static(pt.value());
            }
            inner.locals.put(p.name(), coerce(v, pt.type()));
        }
        LValue result = null;
        for (var s : decl.body()) {
            switch (s) {
                case Let l -> inner.locals.put(l.name(), lower(l.value(), inner));
                case Return r -> result = lower(r.value(), inner);
            }
        }
        return coerce(result, inst.result().type());
    }

    // ---- grad ----

    private LValue grad(Grad g, Context cx) {
        int of = tensor(g.of(), cx);
        var names = g.wrt() instanceof Name n ? List.of(n) : ((Ast.Tuple) g.wrt()).elements().stream().map(x -> (Name) x).toList();
        var wrt = new ArrayList<Integer>();
        for (var n : names) wrt.add(tensor(n, cx));
        var grads = Autodiff.grad(b, of, wrt, g.span());
        if (g.wrt() instanceof Name) return new LValue.Value(grads.get(0));
        return new LValue.Tuple(grads.stream().map(id -> (LValue) new LValue.Value(id)).toList());
    }
}
