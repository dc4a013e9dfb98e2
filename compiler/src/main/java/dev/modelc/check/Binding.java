package dev.modelc.check;

import dev.modelc.diag.Span;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A named value in scope: a function parameter, a let, or a model member. Records which other
 * bindings its definition uses, so the checker can tell unused lets and parameters that no loss
 * depends on.
 */
final class Binding {
    enum Kind { FN_PARAM, LET, INPUT, PARAM, CONST, OUTPUT, METRIC, LOSS }

    final String name;
    final Kind kind;
    final Span span;
    final Typed typed;
    final Set<Binding> uses = new LinkedHashSet<>();
    boolean used;

    Binding(String name, Kind kind, Span span, Typed typed) {
        this.name = name;
        this.kind = kind;
        this.span = span;
        this.typed = typed;
    }
}
