package dev.modelc.graph;

import dev.modelc.check.DimExpr;
import java.util.List;

/**
 * The operations of the Graph IR. Each is a pure function of its operands; static attributes live
 * in the record, the result type in the {@link Node}. Broadcasting is explicit ({@link Broadcast}),
 * so elementwise operands all have the result's shape. Shape-changing ops whose result shape is
 * not implied by their operands (reshape, broadcast, slice, pad, the convolution gradients) take
 * it from the node's type. Typing rules: {@link TypeRules}; text form: {@link GraphPrinter}.
 */
public sealed interface Op {

    /** A value the entry receives. */
    enum Role { INPUT, PARAM, CONST, STATE, KEY }

    record Input(Role role, String name) implements Op {}

    /** A tensor filled with one value (its element type and shape are the node's). */
    record Constant(double value) implements Op {}

    /** The run-time value of a dimension expression, e.g. the batch size {@code B}, as a scalar. */
    record DimSize(DimExpr dim) implements Op {}

    /** Indices 0, 1, … along {@code axis}, constant along the other axes. */
    record Iota(int axis) implements Op {}

    enum UnaryFn {
        NEG, ABS, SIGN, EXP, LOG, LOG1P, SQRT, RSQRT, SQUARE, SIN, COS, TANH, SIGMOID, SOFTPLUS, RELU,
        FLOOR, CEIL, ROUND, ERF, GELU, NOT;

        public String mnemonic() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    record Unary(UnaryFn fn) implements Op {}

    enum BinaryFn {
        ADD, SUB, MUL, DIV, POW, MOD, MAX, MIN, LT, LE, GT, GE, EQ, NE, AND, OR;

        public boolean isComparison() { return ordinal() >= LT.ordinal() && ordinal() <= NE.ordinal(); }

        public boolean isLogical() { return this == AND || this == OR; }

        public String mnemonic() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Elementwise on operands of the same shape; comparisons and logic give {@code bool}. */
    record Binary(BinaryFn fn) implements Op {}

    /** {@code where(c, a, b)} on operands of one shape. */
    record Select() implements Op {}

    /** Element type conversion to the node's element type. */
    record Convert() implements Op {}

    /** Operand axis {@code i} becomes result axis {@code dims[i]}; size-1 operand axes stretch. */
    record Broadcast(List<Integer> dims) implements Op {
        public Broadcast { dims = List.copyOf(dims); }
    }

    /** Same elements in C order, the node's shape. */
    record Reshape() implements Op {}

    /** Result axis {@code i} is operand axis {@code perm[i]}. */
    record Transpose(List<Integer> perm) implements Op {
        public Transpose { perm = List.copyOf(perm); }
    }

    /** Elements {@code start + k*step} on each axis; the node's shape says how many. Steps may be negative. */
    record Slice(List<DimExpr> start, List<Long> step) implements Op {
        public Slice { start = List.copyOf(start); step = List.copyOf(step); }
    }

    /**
     * Zero padding: {@code low[i]} zeros before axis i, {@code interior[i]} zeros between elements;
     * the node's shape fixes the padding after. The inverse (transpose) of {@link Slice}.
     */
    record Pad(List<DimExpr> low, List<Long> interior) implements Op {
        public Pad { low = List.copyOf(low); interior = List.copyOf(interior); }
    }

    record Concat(int axis) implements Op {}

    enum ReduceFn {
        SUM, PROD, MAX, MIN;

        public String mnemonic() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Reduces the given axes away (no keepdims: reshape after when needed). */
    record Reduce(ReduceFn fn, List<Integer> axes) implements Op {
        public Reduce { axes = List.copyOf(axes); }
    }

    /** Index (i64) of the first maximum/minimum along one axis, which is removed. */
    record ArgReduce(boolean max, int axis) implements Op {}

    /** {@code [..., M, K] @ [..., K, N] -> [..., M, N]} with equal leading (batch) dimensions. */
    record MatMul() implements Op {}

    record Softmax(List<Integer> axes) implements Op {
        public Softmax { axes = List.copyOf(axes); }
    }

    record LogSoftmax(List<Integer> axes) implements Op {
        public LogSoftmax { axes = List.copyOf(axes); }
    }

    /** log(sum(exp(x))) over the axes, which are removed; stable for any magnitude. */
    record LogSumExp(List<Integer> axes) implements Op {
        public LogSumExp { axes = List.copyOf(axes); }
    }

    /**
     * A 2-D sliding window on NHWC data: stride and dilation (height, width), and TensorFlow's
     * padding ("same" pads {@code max((out-1)*s + d*(k-1) + 1 - in, 0)} in total, the smaller half
     * before); the padding is worked out at run time from the concrete sizes.
     */
    record Window(long strideH, long strideW, long dilationH, long dilationW, boolean same) {}

    /** {@code conv2d(x [B,H,W,C], k [KH,KW,C,O]) -> [B,H',W',O]}. */
    record Conv2D(Window window) implements Op {}

    /** The gradient of conv2d with respect to x: {@code (dy, k) -> dx}, dx's shape from the node. */
    record Conv2DInputGrad(Window window) implements Op {}

    /** The gradient of conv2d with respect to k: {@code (x, dy) -> dk}, dk's shape from the node. */
    record Conv2DKernelGrad(Window window) implements Op {}

    /** A pooling window: size and stride (height, width), "same" padding as for {@link Window}. */
    record Pool(long sizeH, long sizeW, long strideH, long strideW, boolean same) {}

    record MaxPool(Pool pool) implements Op {}

    /** {@code (x, dy) -> dx}: each dy goes to the first maximum of its window in x. */
    record MaxPoolGrad(Pool pool) implements Op {}

    /** {@code (x, g) -> [B,H',W',C]}: g at the first maximum of each window of x (maxpool's selection applied to g). */
    record MaxPoolSelect(Pool pool) implements Op {}

    /** Average over the real (unpadded) elements of each window. */
    record AvgPool(Pool pool) implements Op {}

    /** {@code dy -> dx}: each dy spread evenly over the real elements of its window; dx's shape from the node. */
    record AvgPoolGrad(Pool pool) implements Op {}

    /**
     * Uniform numbers in [0, 1) from a counter-based generator: element {@code i} is a hash of
     * (key operand, {@code stream}, i), so every backend draws the same numbers.
     */
    record RandomUniform(long stream) implements Op {}
}
