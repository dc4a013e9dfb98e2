package dev.modelc.check;

import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checked arguments of one built-in call, bound to parameter names, with accessors that
 * report a precise error (naming the operation, the argument and its type) and abort the call.
 */
final class CallArgs {
    /** A value that is unknown only because a generic function body is being checked. */
    static final Object PENDING = new Object() {
        @Override public String toString() { return "?"; }
    };

    final String op;
    final Span callSpan;
    private final Map<String, Typed> values;
    private final Map<String, Span> spans;
    private final Diagnostics diagnostics;

    CallArgs(String op, Span callSpan, Map<String, Typed> values, Map<String, Span> spans, Diagnostics diagnostics) {
        this.op = op;
        this.callSpan = callSpan;
        this.values = values;
        this.spans = spans;
        this.diagnostics = diagnostics;
    }

    boolean given(String p) { return values.containsKey(p); }

    Typed get(String p) {
        Typed t = values.get(p);
        if (t == null) throw new IllegalStateException(op + ": no argument " + p);
        if (t.isUnknown()) throw CheckAbort.INSTANCE;
        return t;
    }

    Span span(String p) { return spans.getOrDefault(p, callSpan); }

    RuntimeException error(String p, String code, String message) {
        diagnostics.error(p == null ? callSpan : span(p), code, op + ": " + message);
        return CheckAbort.INSTANCE;
    }

    RuntimeException error(String code, String message) { return error(null, code, message); }

    Type.Tensor tensor(String p) {
        if (get(p).type() instanceof Type.Tensor t) return t;
        throw error(p, "type-not-tensor", "argument '" + p + "' must be a tensor, got " + get(p).type());
    }

    /** A floating-point tensor; a weak integer literal becomes a weak f32. */
    Type.Tensor floatTensor(String p) {
        var t = tensor(p);
        if (t.dtype().isFloat()) return t;
        if (t.weak()) return new Type.Tensor(DType.F32, t.shape(), true);
        throw error(p, "type-not-float", "expects a floating-point tensor for '" + p + "', got " + t
                + " (use cast(" + p + ", f32))");
    }

    Type.Tensor numericTensor(String p) {
        var t = tensor(p);
        if (t.dtype().isNumeric()) return t;
        throw error(p, "type-bool-arithmetic", "expects a numeric tensor for '" + p + "', got " + t);
    }

    Type.Tensor intTensor(String p) {
        var t = tensor(p);
        if (t.dtype().isInt()) return t;
        throw error(p, "type-not-int", "expects an integer tensor for '" + p + "', got " + t);
    }

    Type.Tensor boolTensor(String p) {
        var t = tensor(p);
        if (t.dtype() == DType.BOOL) return t;
        throw error(p, "type-not-bool", "expects a bool tensor for '" + p + "', got " + t);
    }

    private Object staticValue(String p, String what) {
        Typed t = get(p);
        if (t.value() == PENDING) throw CheckAbort.INSTANCE;
        if (t.value() == null) {
            throw error(p, "static-required", "'" + p + "' must be " + what + " known at compile time");
        }
        return t.value();
    }

    long staticInt(String p) {
        Object v = staticValue(p, "an integer");
        if (v instanceof DimExpr d) {
            if (d.isConstant()) return d.constantValue().getAsLong();
            throw error(p, "static-required", "'" + p + "' must be a constant integer, got " + d);
        }
        throw error(p, "type-static-int", "'" + p + "' must be an integer, got " + Values.show(v));
    }

    /** An integer, possibly symbolic ({@code B * 2}). */
    DimExpr staticDim(String p) {
        Object v = staticValue(p, "an integer");
        if (v instanceof DimExpr d) return d;
        throw error(p, "type-static-int", "'" + p + "' must be an integer, got " + Values.show(v));
    }

    double staticDouble(String p) {
        Object v = staticValue(p, "a number");
        Double d = Values.asDouble(v);
        if (d == null) throw error(p, "type-static-number", "'" + p + "' must be a number, got " + Values.show(v));
        return d;
    }

    boolean staticBool(String p) {
        Object v = staticValue(p, "true or false");
        if (v instanceof Boolean b) return b;
        throw error(p, "type-static-bool", "'" + p + "' must be true or false, got " + Values.show(v));
    }

    String staticString(String p, Set<String> allowed) {
        Object v = staticValue(p, "a string");
        if (v instanceof String s) {
            if (allowed.isEmpty() || allowed.contains(s)) return s;
            throw error(p, "value-choice", "'" + p + "' must be one of " + String.join(", ",
                    allowed.stream().sorted().map(x -> '"' + x + '"').toList()) + ", got \"" + s + "\"");
        }
        throw error(p, "type-static-string", "'" + p + "' must be a string, got " + Values.show(v));
    }

    /** An int or a tuple/list of ints (e.g. {@code axis=(0, 1)}, {@code stride=2}). */
    List<Long> intOrTuple(String p) {
        Object v = staticValue(p, "an integer or a tuple of integers");
        var out = new ArrayList<Long>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                Long l = Values.asLong(o);
                if (l == null) throw error(p, "type-static-int", "'" + p + "' must hold integers, got " + Values.show(v));
                out.add(l);
            }
        } else {
            Long l = Values.asLong(v);
            if (l == null) throw error(p, "type-static-int", "'" + p + "' must be an integer or a tuple of integers, got " + Values.show(v));
            out.add(l);
        }
        return out;
    }

    /** A list of dimensions such as {@code [B, -1]} or {@code (2, 3)}. */
    List<DimExpr> dimList(String p) {
        Object v = staticValue(p, "a list of dimensions");
        if (!(v instanceof List<?> list)) {
            if (v instanceof DimExpr d) return List.of(d);
            throw error(p, "type-shape", "'" + p + "' must be a list of dimensions, got " + Values.show(v));
        }
        var out = new ArrayList<DimExpr>();
        for (Object o : list) {
            if (o == PENDING) throw CheckAbort.INSTANCE;
            if (!(o instanceof DimExpr d)) throw error(p, "type-shape", "'" + p + "' must hold integers, got " + Values.show(o));
            out.add(d);
        }
        return out;
    }

    DType dtype(String p) {
        Object v = staticValue(p, "an element type");
        if (v instanceof DType d) return d;
        throw error(p, "type-dtype", "'" + p + "' must be an element type such as f32, got " + Values.show(v));
    }

    /** Normalises one axis or reports it out of range. */
    int axis(String p, long axis, int rank) {
        int a = Shapes.axis(axis, rank);
        if (a < 0) throw error(p, "axis-range", "axis " + axis + " is out of range for a tensor of rank " + rank);
        return a;
    }
}
