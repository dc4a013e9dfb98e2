package dev.modelc.graph;

import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of an op: a mnemonic and its attributes, e.g. {@code broadcast[dims=[1]]}, and the way
 * back from that text. Attribute values are numbers, dimension expressions, quoted strings or
 * bracketed lists of these.
 */
final class OpText {
    private OpText() {}

    static String mnemonic(Op op) {
        return switch (op) {
            case Input i -> i.role().name().toLowerCase(Locale.ROOT);
            case Constant c -> "constant";
            case DimSize d -> "dim_size";
            case Iota i -> "iota";
            case Unary u -> u.fn().mnemonic();
            case Binary b -> switch (b.fn()) {
                case MAX -> "maximum";
                case MIN -> "minimum";
                default -> b.fn().mnemonic();
            };
            case Select s -> "select";
            case Convert c -> "convert";
            case Broadcast b -> "broadcast";
            case Reshape r -> "reshape";
            case Transpose t -> "transpose";
            case Slice s -> "slice";
            case Pad p -> "pad";
            case Concat c -> "concat";
            case Reduce r -> "reduce_" + r.fn().mnemonic();
            case ArgReduce a -> a.max() ? "argmax" : "argmin";
            case MatMul m -> "matmul";
            case Softmax s -> "softmax";
            case LogSoftmax s -> "log_softmax";
            case LogSumExp s -> "logsumexp";
            case Conv2D c -> "conv2d";
            case Conv2DInputGrad c -> "conv2d_input_grad";
            case Conv2DKernelGrad c -> "conv2d_kernel_grad";
            case MaxPool p -> "maxpool";
            case MaxPoolGrad p -> "maxpool_grad";
            case MaxPoolSelect p -> "maxpool_select";
            case AvgPool p -> "avgpool";
            case AvgPoolGrad p -> "avgpool_grad";
            case RandomUniform r -> "random_uniform";
        };
    }

    /** Attributes in a fixed order; values already in their text form. */
    static Map<String, String> attributes(Op op, TensorType type) {
        var a = new LinkedHashMap<String, String>();
        switch (op) {
            case Input i -> a.put("name", quote(i.name()));
            case Constant c -> a.put("value", number(c.value(), type.dtype()));
            case DimSize d -> a.put("of", d.dim().toString());
            case Iota i -> a.put("axis", Integer.toString(i.axis()));
            case Broadcast b -> a.put("dims", list(b.dims()));
            case Transpose t -> a.put("perm", list(t.perm()));
            case Slice s -> {
                a.put("start", list(s.start()));
                a.put("step", list(s.step()));
            }
            case Pad p -> {
                a.put("low", list(p.low()));
                a.put("interior", list(p.interior()));
            }
            case Concat c -> a.put("axis", Integer.toString(c.axis()));
            case Reduce r -> a.put("axes", list(r.axes()));
            case ArgReduce r -> a.put("axis", Integer.toString(r.axis()));
            case Softmax s -> a.put("axes", list(s.axes()));
            case LogSoftmax s -> a.put("axes", list(s.axes()));
            case LogSumExp s -> a.put("axes", list(s.axes()));
            case Conv2D c -> window(c.window(), a);
            case Conv2DInputGrad c -> window(c.window(), a);
            case Conv2DKernelGrad c -> window(c.window(), a);
            case MaxPool p -> pool(p.pool(), a);
            case MaxPoolGrad p -> pool(p.pool(), a);
            case MaxPoolSelect p -> pool(p.pool(), a);
            case AvgPool p -> pool(p.pool(), a);
            case AvgPoolGrad p -> pool(p.pool(), a);
            case RandomUniform r -> a.put("stream", Long.toString(r.stream()));
            default -> { }
        }
        return a;
    }

    private static void window(Window w, Map<String, String> a) {
        a.put("stride", list(List.of(w.strideH(), w.strideW())));
        a.put("dilation", list(List.of(w.dilationH(), w.dilationW())));
        a.put("padding", quote(w.same() ? "same" : "valid"));
    }

    private static void pool(Pool p, Map<String, String> a) {
        a.put("size", list(List.of(p.sizeH(), p.sizeW())));
        a.put("stride", list(List.of(p.strideH(), p.strideW())));
        a.put("padding", quote(p.same() ? "same" : "valid"));
    }

    /**
     * The shortest text that reads back to the same constant: an f32 constant is printed as the
     * float it is ({@code 0.01}, not {@code 0.009999999776482582}); the parser rounds it back.
     */
    static String number(double v, dev.modelc.check.DType dtype) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return (v == 0 && 1 / v < 0 ? "-0" : Long.toString((long) v));
        if (dtype == dev.modelc.check.DType.F32 && (float) v == v) return Float.toString((float) v);
        return Double.toString(v);
    }

    private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }

    private static String list(List<?> items) {
        var sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(items.get(i));
        }
        return sb.append(']').toString();
    }

    // ---- back from text ----

    /** Builds an op from its mnemonic and raw attribute texts; throws IllegalArgumentException when they do not fit. */
    static Op parse(String m, Map<String, String> a, TensorType type) {
        for (var role : Role.values()) if (m.equals(role.name().toLowerCase(Locale.ROOT))) return new Input(role, string(a, "name"));
        for (var fn : UnaryFn.values()) if (m.equals(fn.mnemonic())) return new Unary(fn);
        for (var fn : BinaryFn.values()) if (m.equals(mnemonic(new Binary(fn)))) return new Binary(fn);
        for (var fn : ReduceFn.values()) if (m.equals("reduce_" + fn.mnemonic())) return new Reduce(fn, ints(a, "axes"));
        return switch (m) {
            case "constant" -> new Constant(Conversions.cast(Double.parseDouble(get(a, "value")), type.dtype()));
            case "dim_size" -> new DimSize(DimText.parse(get(a, "of")));
            case "iota" -> new Iota(Integer.parseInt(get(a, "axis")));
            case "select" -> new Select();
            case "convert" -> new Convert();
            case "broadcast" -> new Broadcast(ints(a, "dims"));
            case "reshape" -> new Reshape();
            case "transpose" -> new Transpose(ints(a, "perm"));
            case "slice" -> new Slice(dims(a, "start"), longs(a, "step"));
            case "pad" -> new Pad(dims(a, "low"), longs(a, "interior"));
            case "concat" -> new Concat(Integer.parseInt(get(a, "axis")));
            case "argmax" -> new ArgReduce(true, Integer.parseInt(get(a, "axis")));
            case "argmin" -> new ArgReduce(false, Integer.parseInt(get(a, "axis")));
            case "matmul" -> new MatMul();
            case "softmax" -> new Softmax(ints(a, "axes"));
            case "log_softmax" -> new LogSoftmax(ints(a, "axes"));
            case "logsumexp" -> new LogSumExp(ints(a, "axes"));
            case "conv2d" -> new Conv2D(window(a));
            case "conv2d_input_grad" -> new Conv2DInputGrad(window(a));
            case "conv2d_kernel_grad" -> new Conv2DKernelGrad(window(a));
            case "maxpool" -> new MaxPool(pool(a));
            case "maxpool_grad" -> new MaxPoolGrad(pool(a));
            case "maxpool_select" -> new MaxPoolSelect(pool(a));
            case "avgpool" -> new AvgPool(pool(a));
            case "avgpool_grad" -> new AvgPoolGrad(pool(a));
            case "random_uniform" -> new RandomUniform(Long.parseLong(get(a, "stream")));
            default -> throw new IllegalArgumentException("unknown op '" + m + "'");
        };
    }

    private static Window window(Map<String, String> a) {
        var s = longs(a, "stride");
        var d = longs(a, "dilation");
        return new Window(s.get(0), s.get(1), d.get(0), d.get(1), padding(a));
    }

    private static Pool pool(Map<String, String> a) {
        var z = longs(a, "size");
        var s = longs(a, "stride");
        return new Pool(z.get(0), z.get(1), s.get(0), s.get(1), padding(a));
    }

    private static boolean padding(Map<String, String> a) {
        String p = string(a, "padding");
        if (!p.equals("same") && !p.equals("valid")) throw new IllegalArgumentException("padding must be \"same\" or \"valid\"");
        return p.equals("same");
    }

    private static String get(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) throw new IllegalArgumentException("missing attribute '" + key + "'");
        return v;
    }

    private static String string(Map<String, String> a, String key) {
        String v = get(a, key);
        if (v.length() < 2 || !v.startsWith("\"") || !v.endsWith("\"")) throw new IllegalArgumentException(key + " must be a string");
        return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static List<String> items(Map<String, String> a, String key) {
        String v = get(a, key).strip();
        if (!v.startsWith("[") || !v.endsWith("]")) throw new IllegalArgumentException(key + " must be a list");
        String body = v.substring(1, v.length() - 1).strip();
        var out = new ArrayList<String>();
        if (!body.isEmpty()) for (String s : body.split(",")) out.add(s.strip());
        return out;
    }

    private static List<Integer> ints(Map<String, String> a, String key) { return items(a, key).stream().map(Integer::parseInt).toList(); }

    private static List<Long> longs(Map<String, String> a, String key) { return items(a, key).stream().map(Long::parseLong).toList(); }

    private static List<DimExpr> dims(Map<String, String> a, String key) { return items(a, key).stream().map(DimText::parse).toList(); }
}
