package dev.modelc.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A collector of diagnostics for one compilation. Keeps them in source order, drops exact
 * duplicates, and stops accepting errors past a limit so a garbage file cannot flood the user.
 */
public final class Diagnostics {
    public static final int DEFAULT_ERROR_LIMIT = 50;

    private final LinkedHashSet<Diagnostic> items = new LinkedHashSet<>();
    private final int errorLimit;
    private int errors;
    private boolean truncated;

    public Diagnostics() { this(DEFAULT_ERROR_LIMIT); }

    public Diagnostics(int errorLimit) { this.errorLimit = errorLimit; }

    public void report(Diagnostic d) {
        if (d.isError()) {
            if (errors >= errorLimit) { truncated = true; return; }
            if (items.add(d)) errors++;
        } else {
            items.add(d);
        }
    }

    public void error(Span span, String code, String message) { report(Diagnostic.error(span, code, message)); }

    public void warning(Span span, String code, String message) { report(Diagnostic.warning(span, code, message)); }

    public boolean hasErrors() { return errors > 0; }

    public int errorCount() { return errors; }

    public boolean truncated() { return truncated; }

    /** All diagnostics sorted by file, then position (stable for equal positions). */
    public List<Diagnostic> sorted() {
        var list = new ArrayList<>(items);
        list.sort(Comparator.comparing((Diagnostic d) -> d.span().source().displayName())
                .thenComparingInt(d -> d.span().start()));
        return list;
    }
}
