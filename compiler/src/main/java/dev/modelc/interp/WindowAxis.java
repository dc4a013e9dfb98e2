package dev.modelc.interp;

/**
 * One spatial axis of a sliding window (convolution or pooling) with concrete sizes: window
 * position {@code o} covers input positions {@code o*stride - padLow + j*dilation} for j in
 * [0, size); positions outside [0, in) are padding.
 */
record WindowAxis(int in, int out, int size, int stride, int dilation, int padLow) {

    /**
     * The axis of a window of {@code size} over {@code in} positions. "same" padding is
     * TensorFlow's: {@code out = ceil(in/stride)} and {@code max((out-1)*stride + (size-1)*dilation
     * + 1 - in, 0)} in total, the smaller half before; "valid" has none. {@code out} is the size
     * the graph's types say, which must be the one the rule gives.
     */
    static WindowAxis of(String op, String axis, int in, int out, int size, long stride, long dilation, boolean same) {
        if (size < 1 || stride < 1 || dilation < 1) {
            throw new InterpreterException(op + ": window " + size + ", stride " + stride + " and dilation " + dilation + " must be positive");
        }
        long span = (size - 1L) * dilation + 1;
        long expected = same ? Math.ceilDiv(in, stride) : Math.floorDiv(in - span, stride) + 1;
        if (expected < 0) {
            throw new InterpreterException(op + ": a window spanning " + span + " does not fit the " + axis + " of " + in);
        }
        if (out != expected) {
            throw new InterpreterException(op + ": the " + axis + " " + in + " gives " + expected + " window positions, not " + out);
        }
        long padLow = same ? Math.max((out - 1L) * stride + span - in, 0) / 2 : 0;
        return new WindowAxis(in, out, size, (int) stride, (int) dilation, (int) padLow);
    }

    /** The input position of tap j of window position o (may be outside [0, in): padding). */
    int at(int o, int j) { return o * stride - padLow + j * dilation; }
}
