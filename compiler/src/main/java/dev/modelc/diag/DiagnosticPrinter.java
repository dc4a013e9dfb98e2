package dev.modelc.diag;

import java.util.List;

/**
 * Renders diagnostics as {@code file:line:col: error: message}, the source line, and a caret
 * line under the offending span (only its first line when it spans several).
 */
public final class DiagnosticPrinter {
    private DiagnosticPrinter() {}

    public static String render(List<Diagnostic> diagnostics, boolean truncated) {
        var sb = new StringBuilder();
        for (var d : diagnostics) sb.append(render(d));
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        long warnings = diagnostics.size() - errors;
        if (truncated) sb.append("too many errors; stopped after ").append(errors).append('\n');
        if (errors + warnings > 0) {
            sb.append(count(errors, "error")).append(", ").append(count(warnings, "warning")).append('\n');
        }
        return sb.toString();
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    public static String render(Diagnostic d) {
        var sb = new StringBuilder();
        appendOne(sb, d.span(), d.severity().label(), d.message());
        for (var note : d.notes()) appendOne(sb, note.span(), "note", note.message());
        return sb.toString();
    }

    private static void appendOne(StringBuilder sb, Span span, String label, String message) {
        sb.append(span.location()).append(": ").append(label).append(": ").append(message).append('\n');
        String line = span.source().line(span.line());
        if (span.source().text().isEmpty() || (line.isEmpty() && span.line() > span.source().lineCount())) return;
        String shown = line.replace('\t', ' ');
        sb.append("  ").append(shown).append('\n');
        int from = Math.min(span.column() - 1, shown.length());
        int to = span.endLine() == span.line() ? span.endColumn() - 1 : shown.length();
        int width = Math.max(1, to - from);
        sb.append("  ").append(" ".repeat(Math.max(0, from))).append("^").append("~".repeat(width - 1)).append('\n');
    }
}
