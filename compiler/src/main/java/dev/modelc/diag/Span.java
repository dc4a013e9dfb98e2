package dev.modelc.diag;

/**
 * A range of source text: 1-based line and column of its first and last character, and the
 * 0-based character offsets [start, end) into the source. Every AST node carries one.
 */
public record Span(Source source, int line, int column, int endLine, int endColumn, int start, int end) {

    public static Span of(Source source, int start, int end) {
        int[] a = source.lineColumn(start);
        int[] b = source.lineColumn(Math.max(start, end - 1));
        return new Span(source, a[0], a[1], b[0], b[1] + (end > start ? 1 : 0), start, end);
    }

    /** The smallest span covering both. */
    public Span to(Span other) {
        return Span.of(source, Math.min(start, other.start), Math.max(end, other.end));
    }

    public String location() {
        return source.displayName() + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return location();
    }
}
