package dev.modelc.api;

/** The model did not compile: its diagnostics, rendered as the command line shows them. */
public final class CompileException extends RuntimeException {
    private final String diagnostics;

    CompileException(String diagnostics) {
        super(firstLine(diagnostics));
        this.diagnostics = diagnostics;
    }

    /** Every diagnostic with its location, source line and caret. */
    public String diagnostics() { return diagnostics; }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
