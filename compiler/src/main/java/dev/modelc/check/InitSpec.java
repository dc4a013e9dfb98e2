package dev.modelc.check;

import java.util.Map;

/** A parameter initialiser as written: its kind (e.g. "he_normal") and its static arguments. */
public record InitSpec(String kind, Map<String, Object> args) {
    @Override
    public String toString() {
        if (args.isEmpty()) return kind + "()";
        var sb = new StringBuilder(kind).append('(');
        boolean first = true;
        for (var e : args.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(e.getKey()).append('=').append(Values.show(e.getValue()));
        }
        return sb.append(')').toString();
    }
}
