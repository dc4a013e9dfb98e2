package dev.modelc.runtime.init;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An initialiser as the compiler hands it over: a kind such as {@code "he_normal"} and its
 * arguments by name, numbers as any {@link Number} and {@code mode}/{@code distribution} as
 * strings, e.g. {@code ("normal", {mean=0.0, std=0.02})}.
 *
 * <p>The constructor checks the kind and every argument against the built-in initialisers of
 * docs/language.md (sections 9 and 13) and fills in the defaults, so {@link #args()} always
 * holds every parameter of the kind, in declaration order, numbers as {@link Double}. Two specs
 * that mean the same initialiser are therefore equal, and {@link Initializers} never sees a bad
 * one.
 */
public record InitSpec(String kind, Map<String, Object> args) {
    /** One parameter of an initialiser; {@code fallback} is null when it is required. */
    private record Param(String name, Object fallback, List<String> choices) {
        static Param number(String name, Double fallback) {
            return new Param(name, fallback, List.of());
        }

        static Param choice(String name, String fallback, String... choices) {
            return new Param(name, fallback, List.of(choices));
        }
    }

    /** The built-in kinds and their parameters, in the order the language declares them. */
    private static final Map<String, List<Param>> KINDS = kinds();

    private static Map<String, List<Param>> kinds() {
        Map<String, List<Param>> kinds = new LinkedHashMap<>();
        kinds.put("zeros", List.of());
        kinds.put("ones", List.of());
        kinds.put("constant", List.of(Param.number("value", null)));
        kinds.put("normal", List.of(Param.number("mean", 0.0), Param.number("std", 1.0)));
        kinds.put("uniform", List.of(Param.number("lo", 0.0), Param.number("hi", 1.0)));
        for (String alias : List.of("he_normal", "he_uniform", "glorot_normal", "glorot_uniform")) {
            kinds.put(alias, List.of());
        }
        kinds.put("variance_scaling", List.of(
                Param.number("scale", 1.0),
                Param.choice("mode", "fan_in", "fan_in", "fan_out", "fan_avg"),
                Param.choice("distribution", "normal", "normal", "uniform")));
        return Collections.unmodifiableMap(kinds);
    }

    public InitSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(args, "args");
        List<Param> params = KINDS.get(kind);
        if (params == null) {
            throw new IllegalArgumentException("unknown initialiser '" + kind + "' (known: "
                    + String.join(", ", KINDS.keySet()) + ")");
        }
        for (String name : args.keySet()) {
            if (params.stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException(kind + "() has no argument '" + name + "'"
                        + (params.isEmpty() ? "; it takes none" : " (it takes " + names(params) + ")"));
            }
        }
        Map<String, Object> full = new LinkedHashMap<>();
        for (Param p : params) {
            full.put(p.name(), checked(kind, p, args.containsKey(p.name()) ? args.get(p.name()) : p.fallback()));
        }
        args = Collections.unmodifiableMap(full);
        checkRanges(kind, args);
    }

    private static String names(List<Param> params) {
        return params.stream().map(Param::name).collect(Collectors.joining(", "));
    }

    private static Object checked(String kind, Param p, Object value) {
        String where = kind + "(): argument '" + p.name() + "'";
        if (value == null) {
            throw new IllegalArgumentException(where + " is required");
        }
        if (!p.choices().isEmpty()) {
            if (!(value instanceof String s) || !p.choices().contains(s)) {
                throw new IllegalArgumentException(where + " must be one of "
                        + p.choices().stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "))
                        + ", not " + quoted(value));
            }
            return value;
        }
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException(where + " must be a finite number, not " + quoted(value));
        }
        return n.doubleValue();
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /** The checks that relate arguments to each other or to the distribution's meaning. */
    private static void checkRanges(String kind, Map<String, Object> args) {
        switch (kind) {
            case "normal" -> {
                if ((double) args.get("std") < 0) {
                    throw new IllegalArgumentException("normal(): std must be >= 0, not " + args.get("std"));
                }
            }
            case "uniform" -> {
                double lo = (double) args.get("lo");
                double hi = (double) args.get("hi");
                // hi - lo must be finite too: draws are computed as lo + (hi - lo) * u.
                if (!(lo < hi) || !Double.isFinite(hi - lo)) {
                    throw new IllegalArgumentException("uniform(): needs lo < hi with a finite hi - lo, not lo="
                            + lo + ", hi=" + hi);
                }
            }
            case "variance_scaling" -> {
                if ((double) args.get("scale") <= 0) {
                    throw new IllegalArgumentException("variance_scaling(): scale must be > 0, not " + args.get("scale"));
                }
            }
            default -> {}
        }
    }

    /** A numeric argument (every one is present after construction). */
    double number(String name) {
        return (Double) args.get(name);
    }

    /** A string argument: {@code mode} or {@code distribution}. */
    String text(String name) {
        return (String) args.get(name);
    }

    /** As the language writes it, e.g. {@code normal(mean=0.0, std=0.02)} or {@code he_normal()}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        args.forEach((name, value) -> parts.add(name + "=" + quoted(value)));
        return kind + "(" + String.join(", ", parts) + ")";
    }
}
