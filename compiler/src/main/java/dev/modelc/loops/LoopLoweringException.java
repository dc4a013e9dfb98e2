package dev.modelc.loops;

/** A graph the compiled backends cannot run yet (e.g. a convolution over a symbolic image size). */
public final class LoopLoweringException extends RuntimeException {
    public LoopLoweringException(String message) { super(message); }
}
