package dev.modelc.runtime.jvm;

import java.util.Map;

/**
 * A tensor dimension as the compiler prints it ({@code B}, {@code 784}, {@code H - KH + 1},
 * {@code (B*2)/2}): integers, dimension variables, {@code + - *} and floor division, with the
 * usual precedence, left to right. Compiled programs carry their buffer shapes in this form, so
 * the runtime can size buffers without the compiler.
 */
public final class DimFormula {
    private final String text;
    private int at;

    private DimFormula(String text) { this.text = text; }

    /** The value of {@code formula} with the variables bound by {@code dims}. */
    public static long evaluate(String formula, Map<String, Long> dims) {
        var p = new DimFormula(formula);
        long v = p.sum(dims);
        p.skipSpaces();
        if (p.at != formula.length()) throw p.error("unexpected '" + formula.charAt(p.at) + "'");
        return v;
    }

    /** The dimension variables {@code formula} names, in order of first appearance. */
    public static java.util.List<String> variables(String formula) {
        var out = new java.util.LinkedHashSet<String>();
        var m = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z_0-9]*").matcher(formula);
        while (m.find()) out.add(m.group());
        return java.util.List.copyOf(out);
    }

    private long sum(Map<String, Long> dims) {
        long v = product(dims);
        while (true) {
            skipSpaces();
            if (eat('+')) v = Math.addExact(v, product(dims));
            else if (eat('-')) v = Math.subtractExact(v, product(dims));
            else return v;
        }
    }

    private long product(Map<String, Long> dims) {
        long v = unary(dims);
        while (true) {
            skipSpaces();
            if (eat('*')) v = Math.multiplyExact(v, unary(dims));
            else if (eat('/')) v = Math.floorDiv(v, unary(dims));
            else return v;
        }
    }

    private long unary(Map<String, Long> dims) {
        skipSpaces();
        if (eat('-')) return Math.negateExact(unary(dims));
        if (eat('(')) {
            long v = sum(dims);
            skipSpaces();
            if (!eat(')')) throw error("expected ')'");
            return v;
        }
        int start = at;
        if (at < text.length() && Character.isDigit(text.charAt(at))) {
            while (at < text.length() && Character.isDigit(text.charAt(at))) at++;
            return Long.parseLong(text.substring(start, at));
        }
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) at++;
        if (start == at) throw error("expected a number or a dimension name");
        String name = text.substring(start, at);
        Long v = dims.get(name);
        if (v == null) throw new IllegalArgumentException("dimension " + name + " is not bound (in " + text + ")");
        return v;
    }

    private boolean eat(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpaces() { while (at < text.length() && text.charAt(at) == ' ') at++; }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad dimension formula '" + text + "' at " + at + ": " + what);
    }
}
