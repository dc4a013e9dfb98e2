package dev.modelc.check;

import static dev.modelc.check.Builtin.Category.*;

import dev.modelc.check.Type.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The table of built-in operations and their typing rules: one place per fact. */
public final class Builtins {
    private static final Map<String, Builtin> TABLE = new LinkedHashMap<>();

    private Builtins() {}

    public static Optional<Builtin> lookup(String name) { return Optional.ofNullable(TABLE.get(name)); }

    public static Set<String> names() { return Collections.unmodifiableSet(TABLE.keySet()); }

    private static void add(Builtin b) { TABLE.put(b.name(), b); }

    static {
        for (String op : List.of("exp", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "softplus")) {
            add(Builtin.of(op, "x", ELEMENTWISE, a -> sameAs(a.floatTensor("x"))));
        }
        for (String op : List.of("abs", "square", "sign", "relu", "floor", "ceil", "round")) {
            add(Builtin.of(op, "x", ELEMENTWISE, a -> sameAs(a.numericTensor("x"))));
        }
        add(Builtin.of("gelu", "x, approximate=\"none\"", ELEMENTWISE, a -> {
            a.staticString("approximate", Set.of("none", "tanh"));
            return sameAs(a.floatTensor("x"));
        }));
        add(Builtin.of("leaky_relu", "x, alpha=0.01", ELEMENTWISE, a -> {
            scalarOperand(a, "alpha");
            return sameAs(a.floatTensor("x"));
        }));
        add(Builtin.of("clip", "x, lo, hi", ELEMENTWISE, a -> {
            var x = a.numericTensor("x");
            for (String p : List.of("lo", "hi")) {
                var b = a.numericTensor(p);
                if (!Shapes.broadcastsTo(b.shape(), x.shape())) {
                    throw a.error(p, "shape-broadcast", "'" + p + "' of shape " + Shapes.show(b.shape())
                            + " does not broadcast to x's shape " + Shapes.show(x.shape()));
                }
            }
            return sameAs(x);
        }));
        for (String op : List.of("maximum", "minimum")) {
            add(Builtin.of(op, "a, b", ELEMENTWISE, a -> {
                var x = a.numericTensor("a");
                var y = a.numericTensor("b");
                return Typed.of(Promotion.result(x, y).withShape(broadcast(a, x, y)));
            }));
        }
        add(Builtin.of("where", "condition, a, b", ELEMENTWISE, a -> {
            var c = a.boolTensor("condition");
            var x = a.tensor("a");
            var y = a.tensor("b");
            if (x.dtype().isNumeric() != y.dtype().isNumeric()) {
                throw a.error("b", "type-mismatch", "branches have different element types: " + x + " and " + y);
            }
            var shape = broadcast(a, x, y);
            var full = Shapes.broadcast(c.shape(), shape);
            if (full == null) {
                throw a.error("condition", "shape-broadcast", "condition " + c + " does not broadcast with " + Shapes.show(shape));
            }
            return Typed.of(Promotion.result(x, y).withShape(full));
        }));
        add(Builtin.of("cast", "x, dtype", CAST, a -> Typed.of(a.tensor("x").withDtype(a.dtype("dtype")))));

        for (String op : List.of("sum", "prod", "max", "min")) {
            add(Builtin.of(op, "x, axis?, keepdims=false", REDUCTION, a -> {
                var x = a.tensor("x");
                DType d = x.dtype();
                if ((op.equals("sum") || op.equals("prod")) && d == DType.BOOL) d = DType.I64;
                return Typed.of(new Tensor(d, reduced(a, x), x.weak()));
            }));
        }
        add(Builtin.of("mean", "x, axis?, keepdims=false", REDUCTION, a -> {
            var x = a.tensor("x");
            DType d = x.dtype().isFloat() ? x.dtype() : DType.F32;
            return Typed.of(new Tensor(d, reduced(a, x), false));
        }));
        add(Builtin.of("logsumexp", "x, axis?, keepdims=false", REDUCTION,
                a -> Typed.of(a.floatTensor("x").withShape(reduced(a, a.floatTensor("x"))))));
        for (String op : List.of("var", "std")) {
            add(Builtin.of(op, "x, axis?, keepdims=false, ddof=0", REDUCTION, a -> {
                var x = a.floatTensor("x");
                long ddof = a.staticInt("ddof");
                if (ddof < 0) throw a.error("ddof", "value-range", "ddof must not be negative, got " + ddof);
                return Typed.of(x.withShape(reduced(a, x)));
            }));
        }
        for (String op : List.of("argmax", "argmin")) {
            add(Builtin.of(op, "x, axis?, keepdims=false", REDUCTION, a -> {
                var x = a.tensor("x");
                if (a.given("axis") && a.intOrTuple("axis").size() != 1) {
                    throw a.error("axis", "axis-single", "takes a single axis, got " + Values.show(a.get("axis").value()));
                }
                return Typed.of(Tensor.of(DType.I64, reduced(a, x)));
            }));
        }

        add(Builtin.of("reshape", "x, shape", SHAPE, Builtins::reshape));
        add(Builtin.of("flatten", "x", SHAPE, a -> {
            var x = a.tensor("x");
            if (x.rank() < 1) throw a.error("x", "rank", "needs a tensor of rank 1 or more, got the scalar " + x);
            return Typed.of(x.withShape(List.of(x.shape().get(0), Shapes.product(x.shape().subList(1, x.rank())))));
        }));
        add(Builtin.of("transpose", "x, axes?", SHAPE, a -> {
            var x = a.tensor("x");
            List<Long> perm = a.given("axes") ? a.intOrTuple("axes") : null;
            if (perm == null) {
                var s = new ArrayList<>(x.shape());
                Collections.reverse(s);
                return Typed.of(x.withShape(s));
            }
            if (perm.size() != x.rank()) {
                throw a.error("axes", "axis-permutation", "axes " + Values.show(a.get("axes").value())
                        + " must be a permutation of the " + x.rank() + " axes of " + x);
            }
            var out = new ArrayList<DimExpr>();
            var seen = new HashSet<Integer>();
            for (long p : perm) {
                int ax = a.axis("axes", p, x.rank());
                if (!seen.add(ax)) throw a.error("axes", "axis-duplicate", "axis " + p + " appears twice in " + Values.show(a.get("axes").value()));
                out.add(x.shape().get(ax));
            }
            return Typed.of(x.withShape(out));
        }));
        add(Builtin.of("concat", "tensors, axis=0", SHAPE, a -> joined(a, false)));
        add(Builtin.of("stack", "tensors, axis=0", SHAPE, a -> joined(a, true)));
        add(Builtin.of("squeeze", "x, axis?", SHAPE, a -> {
            var x = a.tensor("x");
            var out = new ArrayList<DimExpr>();
            if (!a.given("axis")) {
                for (var d : x.shape()) if (!d.equals(Shapes.ONE)) out.add(d);
                return Typed.of(x.withShape(out));
            }
            var drop = new HashSet<Integer>();
            for (long ax : a.intOrTuple("axis")) {
                int i = a.axis("axis", ax, x.rank());
                if (!x.shape().get(i).equals(Shapes.ONE)) {
                    throw a.error("axis", "shape-squeeze", "axis " + ax + " of " + x + " has size " + x.shape().get(i) + ", not 1");
                }
                drop.add(i);
            }
            for (int i = 0; i < x.rank(); i++) if (!drop.contains(i)) out.add(x.shape().get(i));
            return Typed.of(x.withShape(out));
        }));
        add(Builtin.of("unsqueeze", "x, axis", SHAPE, a -> {
            var x = a.tensor("x");
            int ax = a.axis("axis", a.staticInt("axis"), x.rank() + 1);
            var out = new ArrayList<>(x.shape());
            out.add(ax, Shapes.ONE);
            return Typed.of(x.withShape(out));
        }));
        add(Builtin.of("broadcast_to", "x, shape", SHAPE, a -> {
            var x = a.tensor("x");
            var shape = a.dimList("shape");
            if (!Shapes.broadcastsTo(x.shape(), shape)) {
                throw a.error("shape", "shape-broadcast", x + " does not broadcast to " + Shapes.show(shape));
            }
            return Typed.of(x.withShape(shape));
        }));
        add(Builtin.of("one_hot", "labels, classes", SHAPE, a -> {
            var y = a.intTensor("labels");
            DimExpr n = a.staticDim("classes");
            if (n.isConstant() && n.constantValue().getAsLong() <= 0) {
                throw a.error("classes", "value-range", "the number of classes must be positive, got " + n);
            }
            var out = new ArrayList<>(y.shape());
            out.add(n);
            return Typed.of(Tensor.of(DType.F32, out));
        }));

        add(Builtin.of("matmul", "a, b", LINALG, a -> Typed.of(Matmul.type(a, a.numericTensor("a"), a.numericTensor("b")))));
        for (String op : List.of("softmax", "log_softmax")) {
            add(Builtin.of(op, "x, axis=-1", NEURAL, a -> {
                var x = a.floatTensor("x");
                for (long ax : a.intOrTuple("axis")) a.axis("axis", ax, Math.max(x.rank(), 1));
                return sameAs(x);
            }));
        }
        add(Builtin.of("conv2d", "x, kernel, stride=1, padding=\"valid\", dilation=1", NEURAL, Convolution::conv2d));
        add(Builtin.of("maxpool2d", "x, size, stride?, padding=\"valid\"", NEURAL, Convolution::pool2d));
        add(Builtin.of("avgpool2d", "x, size, stride?, padding=\"valid\"", NEURAL, Convolution::pool2d));
        add(Builtin.of("dropout", "x, p", NEURAL, a -> {
            double p = a.staticDouble("p");
            if (!(p >= 0 && p < 1)) throw a.error("p", "value-range", "the drop probability must be in [0, 1), got " + p);
            return sameAs(a.floatTensor("x"));
        }));
        add(Builtin.of("reduce_loss", "x, reduction=\"mean\"", LOSS_HELPER, a -> {
            var x = a.floatTensor("x");
            String r = a.staticString("reduction", Set.of("mean", "sum", "none"));
            return Typed.of(r.equals("none") ? x : x.withShape(List.of()));
        }));

        add(initialiser("zeros", ""));
        add(initialiser("ones", ""));
        add(initialiser("constant", "value"));
        add(initialiser("normal", "mean=0.0, std=1.0"));
        add(initialiser("uniform", "lo=0.0, hi=1.0"));
        for (String op : List.of("he_normal", "he_uniform", "glorot_normal", "glorot_uniform")) add(initialiser(op, ""));
        add(Builtin.of("variance_scaling", "scale=1.0, mode=\"fan_in\", distribution=\"normal\"", INITIALISER, a -> {
            var args = new LinkedHashMap<String, Object>();
            args.put("scale", a.staticDouble("scale"));
            args.put("mode", a.staticString("mode", Set.of("fan_in", "fan_out", "fan_avg")));
            args.put("distribution", a.staticString("distribution", Set.of("normal", "uniform")));
            return new Typed(Type.INIT, new InitSpec("variance_scaling", args));
        }));
    }

    private static Builtin initialiser(String name, String params) {
        return Builtin.of(name, params, INITIALISER, a -> {
            var args = new LinkedHashMap<String, Object>();
            if (!params.isBlank()) {
                for (String p : params.split(",")) {
                    String n = p.strip().split("=")[0];
                    args.put(n, a.staticDouble(n));
                }
            }
            if (name.equals("uniform") && (double) args.get("lo") > (double) args.get("hi")) {
                throw a.error("lo", "value-range", "lo must not exceed hi");
            }
            if (name.equals("normal") && (double) args.get("std") < 0) {
                throw a.error("std", "value-range", "std must not be negative");
            }
            return new Typed(Type.INIT, new InitSpec(name, args));
        });
    }

    private static Typed sameAs(Tensor t) { return Typed.of(t); }

    private static void scalarOperand(CallArgs a, String p) {
        var t = a.numericTensor(p);
        if (!t.isScalar()) throw a.error(p, "rank", "'" + p + "' must be a scalar, got " + t);
    }

    static List<DimExpr> broadcast(CallArgs a, Tensor x, Tensor y) {
        var s = Shapes.broadcast(x.shape(), y.shape());
        if (s == null) throw a.error("shape-broadcast", "shapes do not broadcast: " + x + " and " + y);
        return s;
    }

    /** The shape after reducing over {@code axis} (all axes when absent), honouring keepdims. */
    private static List<DimExpr> reduced(CallArgs a, Tensor x) {
        boolean keep = a.staticBool("keepdims");
        var axes = new java.util.LinkedHashMap<Integer, Long>();
        if (a.given("axis")) {
            for (long ax : a.intOrTuple("axis")) {
                Long prior = axes.putIfAbsent(a.axis("axis", ax, x.rank()), ax);
                if (prior != null) {
                    throw a.error("axis", "axis-duplicate", prior == ax ? "axis " + ax + " is given twice"
                            : "axes " + prior + " and " + ax + " are the same axis of a tensor of rank " + x.rank());
                }
            }
        } else {
            for (int i = 0; i < x.rank(); i++) axes.put(i, (long) i);
        }
        var out = new ArrayList<DimExpr>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.containsKey(i)) out.add(x.shape().get(i));
            else if (keep) out.add(Shapes.ONE);
        }
        return out;
    }

    private static Typed reshape(CallArgs a) {
        var x = a.tensor("x");
        var target = a.dimList("shape");
        int inferred = -1;
        for (int i = 0; i < target.size(); i++) {
            var d = target.get(i);
            if (d.equals(DimExpr.constant(-1))) {
                if (inferred >= 0) throw a.error("shape", "reshape-infer", "only one dimension may be -1, in " + Shapes.show(target));
                inferred = i;
            } else if (d.isConstant() && d.constantValue().getAsLong() < 0) {
                throw a.error("shape", "reshape-negative", "dimension " + d + " in " + Shapes.show(target) + " is negative");
            }
        }
        if (inferred < 0) {
            if (!Shapes.product(x.shape()).equals(Shapes.product(target))) {
                throw a.error("shape", "reshape-size", "cannot reshape " + x + " (" + Shapes.product(x.shape())
                        + " elements) to " + Shapes.show(target) + " (" + Shapes.product(target) + " elements)");
            }
            return Typed.of(x.withShape(target));
        }
        if (target.contains(DimExpr.constant(0))) {
            throw a.error("shape", "reshape-infer", "cannot infer -1 in " + Shapes.show(target) + ": with a 0 beside it any size fits");
        }
        // Cancel the dimensions the two shapes share, then the rest must divide by a constant.
        var rest = new ArrayList<>(x.shape());
        var given = new ArrayList<DimExpr>();
        for (int i = 0; i < target.size(); i++) {
            if (i == inferred) continue;
            if (!rest.remove(target.get(i))) given.add(target.get(i));
        }
        DimExpr have = Shapes.product(rest);
        DimExpr divisor = Shapes.product(given);
        DimExpr q = quotient(have, divisor);
        if (q == null) {
            Long c = Values.asLong(divisor);
            throw c != null && c != 0
                    ? a.error("shape", "reshape-size", "cannot reshape " + x + " (" + Shapes.product(x.shape())
                            + " elements) to " + Shapes.show(target) + ": " + have + " is not divisible by " + c)
                    : a.error("shape", "reshape-infer", "cannot infer -1 in " + Shapes.show(target) + " from " + x);
        }
        var out = new ArrayList<>(target);
        out.set(inferred, q);
        return Typed.of(x.withShape(out));
    }

    /**
     * The exact quotient of two dimension products, or null: by a constant through floor
     * division, otherwise when one is a constant multiple of the other.
     */
    private static DimExpr quotient(DimExpr have, DimExpr divisor) {
        Long c = Values.asLong(divisor);
        if (c != null) {
            if (c == 0) return null;
            DimExpr q = have.floorDiv(c);
            return q.times(DimExpr.constant(c)).equals(have) ? q : null;
        }
        // Guess the ratio at a sample point, then confirm it symbolically.
        var sample = new java.util.HashMap<String, Long>();
        for (String v : have.variables()) sample.put(v, 7L);
        for (String v : divisor.variables()) sample.put(v, 7L);
        var h = have.evaluate(sample);
        var d = divisor.evaluate(sample);
        if (h.isEmpty() || d.isEmpty() || d.getAsLong() == 0 || h.getAsLong() % d.getAsLong() != 0) return null;
        DimExpr r = DimExpr.constant(h.getAsLong() / d.getAsLong());
        return divisor.times(r).equals(have) ? r : null;
    }

    /** concat (along an existing axis) and stack (along a new one). */
    private static Typed joined(CallArgs a, boolean stack) {
        if (!(a.get("tensors").type() instanceof Type.Tuple tuple)) {
            throw a.error("tensors", "type-tuple", "takes a tuple of tensors, e.g. " + a.op + "((a, b), axis=0), got " + a.get("tensors").type());
        }
        if (tuple.elements().isEmpty()) throw a.error("tensors", "type-tuple", "needs at least one tensor");
        var parts = new ArrayList<Tensor>();
        for (var t : tuple.elements()) {
            if (t instanceof Type.Unknown) throw CheckAbort.INSTANCE;
            if (!(t instanceof Tensor tt)) throw a.error("tensors", "type-not-tensor", "takes tensors, got " + t);
            parts.add(tt);
        }
        Tensor first = parts.get(0);
        int rank = first.rank();
        int axis = a.axis("axis", a.staticInt("axis"), stack ? rank + 1 : rank);
        // One element type: strong tensors must agree; weak ones (literals) adapt, as in arithmetic.
        Tensor promoted = first;
        Tensor strong = null;
        for (int i = 0; i < parts.size(); i++) {
            var p = parts.get(i);
            if (!p.weak()) {
                if (strong != null && strong.dtype() != p.dtype()) {
                    throw a.error("tensors", "type-mismatch", "tensors of different element types: " + strong + " and " + p
                            + " (cast one of them)");
                }
                strong = p;
            }
            if (i > 0) promoted = Promotion.result(promoted, p);
        }
        DType dtype = promoted.dtype();
        DimExpr total = DimExpr.constant(0);
        for (int i = 0; i < parts.size(); i++) {
            var p = parts.get(i);
            if (p.rank() != rank) throw a.error("tensors", "shape-" + a.op, "tensor " + (i + 1) + " is " + p + " but tensor 1 is " + first + ": ranks differ");
            for (int d = 0; d < rank; d++) {
                if ((stack || d != axis) && !p.shape().get(d).equals(first.shape().get(d))) {
                    throw a.error("tensors", "shape-" + a.op, "tensor " + (i + 1) + " is " + p + " but tensor 1 is "
                            + first + ": axis " + d + " differs" + (stack ? "" : " (only axis " + axis + " may)"));
                }
            }
            if (!stack) total = total.plus(p.shape().get(axis));
        }
        var out = new ArrayList<>(first.shape());
        if (stack) out.add(axis, DimExpr.constant(parts.size()));
        else out.set(axis, total);
        return Typed.of(Tensor.of(dtype, out));
    }
}
