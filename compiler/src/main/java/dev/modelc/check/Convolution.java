package dev.modelc.check;

import dev.modelc.check.Type.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Typing rules of conv2d and the 2-D pools on NHWC tensors (kernels HWIO). Output sizes:
 * "valid": (H - d*(K-1) - 1)/s + 1; "same": ceil(H/s), as TensorFlow defines it.
 */
final class Convolution {
    private Convolution() {}

    static Typed conv2d(CallArgs a) {
        var x = a.floatTensor("x");
        var k = a.floatTensor("kernel");
        if (x.rank() != 4) throw a.error("x", "shape-conv2d", "x must be NHWC [B, H, W, C], got " + x);
        if (k.rank() != 4) throw a.error("kernel", "shape-conv2d", "kernel must be HWIO [KH, KW, C, O], got " + k);
        if (!x.shape().get(3).equals(k.shape().get(2))) {
            throw a.error("kernel", "shape-conv2d", "channels differ: x " + x + " has " + x.shape().get(3)
                    + " channels but kernel " + k + " expects " + k.shape().get(2));
        }
        if (x.dtype() != k.dtype() && !x.weak() && !k.weak()) {
            throw a.error("kernel", "type-mismatch", "x is " + x + " but kernel is " + k);
        }
        long[] stride = pair(a, "stride");
        long[] dilation = pair(a, "dilation");
        String padding = a.staticString("padding", Set.of("valid", "same"));
        DimExpr h = out(x.shape().get(1), k.shape().get(0), stride[0], dilation[0], padding, a);
        DimExpr w = out(x.shape().get(2), k.shape().get(1), stride[1], dilation[1], padding, a);
        return Typed.of(x.withShape(List.of(x.shape().get(0), h, w, k.shape().get(3))));
    }

    static Typed pool2d(CallArgs a) {
        var x = a.floatTensor("x");
        if (x.rank() != 4) throw a.error("x", "shape-pool", "x must be NHWC [B, H, W, C], got " + x);
        long[] size = pair(a, "size");
        long[] stride = a.given("stride") ? pair(a, "stride") : size;
        String padding = a.staticString("padding", Set.of("valid", "same"));
        DimExpr h = out(x.shape().get(1), DimExpr.constant(size[0]), stride[0], 1, padding, a);
        DimExpr w = out(x.shape().get(2), DimExpr.constant(size[1]), stride[1], 1, padding, a);
        return Typed.of(x.withShape(List.of(x.shape().get(0), h, w, x.shape().get(3))));
    }

    private static DimExpr out(DimExpr in, DimExpr kernel, long stride, long dilation, String padding, CallArgs a) {
        if (padding.equals("same")) return in.plus(DimExpr.constant(stride - 1)).floorDiv(stride);
        DimExpr span = kernel.minus(Shapes.ONE).times(DimExpr.constant(dilation)).plus(Shapes.ONE);
        DimExpr room = in.minus(span);
        if (room.isConstant() && room.constantValue().getAsLong() < 0) {
            throw a.error("x", "shape-window", "the window (" + span + " wide) is larger than the input (" + in + ")");
        }
        return room.floorDiv(stride).plus(Shapes.ONE);
    }

    /** An int or a pair of positive ints (height, width). */
    private static long[] pair(CallArgs a, String p) {
        var v = a.intOrTuple(p);
        if (v.size() != 1 && v.size() != 2) throw a.error(p, "value-pair", "'" + p + "' must be an int or a pair of ints");
        long h = v.get(0);
        long w = v.size() == 2 ? v.get(1) : h;
        if (h <= 0 || w <= 0) throw a.error(p, "value-range", "'" + p + "' must be positive, got " + Values.show(a.get(p).value()));
        return new long[] {h, w};
    }
}
