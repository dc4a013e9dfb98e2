package dev.modelc.lower;

import java.util.List;

/** What an expression lowers to: a graph value, a tuple of these, or a compile-time value (a string, a dtype, a list). */
sealed interface LValue {
    record Value(int id) implements LValue {}

    record Tuple(List<LValue> elements) implements LValue {
        public Tuple { elements = List.copyOf(elements); }
    }

    record Static(Object value) implements LValue {}

    default int id() {
        if (this instanceof Value v) return v.id();
        throw new IllegalStateException("not a tensor: " + this);
    }
}
