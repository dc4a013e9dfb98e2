package dev.modelc.diag;

import java.util.List;

/**
 * One finding about a program. Diagnostics are data: stages collect them and never throw them.
 * {@code code} is a stable kebab-case identifier of the kind of error (e.g. "shape-matmul"),
 * which tests and documentation use; {@code notes} point at related places.
 */
public record Diagnostic(Span span, Severity severity, String code, String message, List<Note> notes) {

    public record Note(Span span, String message) {}

    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public static Diagnostic error(Span span, String code, String message) {
        return new Diagnostic(span, Severity.ERROR, code, message, List.of());
    }

    public static Diagnostic warning(Span span, String code, String message) {
        return new Diagnostic(span, Severity.WARNING, code, message, List.of());
    }

    public Diagnostic withNote(Span at, String message) {
        var more = new java.util.ArrayList<>(notes);
        more.add(new Note(at, message));
        return new Diagnostic(span, severity, code, this.message, more);
    }

    public boolean isError() { return severity == Severity.ERROR; }
}
