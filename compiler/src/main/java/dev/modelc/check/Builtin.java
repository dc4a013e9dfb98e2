package dev.modelc.check;

import java.util.ArrayList;
import java.util.List;

/**
 * One built-in operation: its name, its parameters (in order, with defaults) and its typing rule.
 * The parameter list is written as in the docs, e.g. {@code "x, axis?, keepdims=false"}:
 * {@code name?} is optional with no default, {@code name=value} has a default.
 */
public record Builtin(String name, List<Parameter> parameters, Category category, Rule rule) {

    public enum Category { ELEMENTWISE, REDUCTION, SHAPE, NEURAL, LINALG, INITIALISER, LOSS_HELPER, CAST }

    public record Parameter(String name, boolean optional, Typed defaultValue) {}

    @FunctionalInterface
    interface Rule {
        Typed apply(CallArgs args);
    }

    static Builtin of(String name, String params, Category category, Rule rule) {
        var list = new ArrayList<Parameter>();
        if (!params.isBlank()) {
            for (String p : params.split(",")) {
                p = p.strip();
                if (p.endsWith("?")) list.add(new Parameter(p.substring(0, p.length() - 1), true, null));
                else if (p.contains("=")) {
                    String n = p.substring(0, p.indexOf('=')).strip();
                    list.add(new Parameter(n, true, literal(p.substring(p.indexOf('=') + 1).strip())));
                } else list.add(new Parameter(p, false, null));
            }
        }
        return new Builtin(name, List.copyOf(list), category, rule);
    }

    private static Typed literal(String s) {
        if (s.equals("true") || s.equals("false")) return new Typed(Type.Tensor.scalar(DType.BOOL), Boolean.parseBoolean(s));
        if (s.startsWith("\"")) return new Typed(Type.STR, s.substring(1, s.length() - 1));
        if (s.contains(".") || s.contains("e")) {
            return new Typed(new Type.Tensor(DType.F32, List.of(), true), Double.parseDouble(s));
        }
        return new Typed(new Type.Tensor(DType.I64, List.of(), true), DimExpr.constant(Long.parseLong(s)));
    }

    public String signature() {
        var sb = new StringBuilder(name).append('(');
        for (int i = 0; i < parameters.size(); i++) {
            var p = parameters.get(i);
            if (i > 0) sb.append(", ");
            sb.append(p.name());
            if (p.defaultValue() != null) sb.append('=').append(Values.show(p.defaultValue().value()));
            else if (p.optional()) sb.append('?');
        }
        return sb.append(')').toString();
    }
}
