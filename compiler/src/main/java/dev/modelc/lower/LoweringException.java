package dev.modelc.lower;

import dev.modelc.diag.Span;

/** A user error found while lowering or differentiating, reported as a diagnostic at {@code span}. */
public final class LoweringException extends RuntimeException {
    private final transient Span span;
    private final String code;

    public LoweringException(Span span, String code, String message) {
        super(message);
        this.span = span;
        this.code = code;
    }

    public Span span() { return span; }

    public String code() { return code; }
}
