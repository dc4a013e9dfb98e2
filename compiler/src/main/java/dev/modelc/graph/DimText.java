package dev.modelc.graph;

import dev.modelc.check.DimExpr;

/**
 * Parses the text of a {@link DimExpr} back ({@code B}, {@code H - 2}, {@code (W + 1)/2},
 * {@code 2*B*C}): {@code * /} bind tighter than {@code + -}, left to right; '/' is floor division
 * by a positive constant.
 */
final class DimText {
    private final String s;
    private int pos;

    private DimText(String s) { this.s = s; }

    static DimExpr parse(String text) {
        var p = new DimText(text);
        DimExpr e = p.sum();
        p.skip();
        if (p.pos != p.s.length()) throw new IllegalArgumentException("bad dimension '" + text + "'");
        return e;
    }

    private DimExpr sum() {
        DimExpr e = product();
        while (true) {
            skip();
            if (peek('+')) { pos++; e = e.plus(product()); }
            else if (peek('-')) { pos++; e = e.minus(product()); }
            else return e;
        }
    }

    private DimExpr product() {
        DimExpr e = factor();
        while (true) {
            skip();
            if (peek('*')) { pos++; e = e.times(factor()); }
            else if (peek('/')) {
                pos++;
                skip();
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
                if (start == pos) throw new IllegalArgumentException("'/' needs a constant in '" + s + "'");
                long c = Long.parseLong(s.substring(start, pos));
                if (c <= 0) throw new IllegalArgumentException("division by " + c + " in '" + s + "'");
                e = e.floorDiv(c);
            } else return e;
        }
    }

    private DimExpr factor() {
        skip();
        if (pos >= s.length()) throw new IllegalArgumentException("bad dimension '" + s + "'");
        char c = s.charAt(pos);
        if (c == '-') { pos++; return factor().negate(); }
        if (c == '(') {
            pos++;
            DimExpr e = sum();
            skip();
            if (!peek(')')) throw new IllegalArgumentException("missing ')' in '" + s + "'");
            pos++;
            return e;
        }
        int start = pos;
        if (Character.isDigit(c)) {
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            return DimExpr.constant(Long.parseLong(s.substring(start, pos)));
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
            return DimExpr.var(s.substring(start, pos));
        }
        throw new IllegalArgumentException("unexpected '" + c + "' in dimension '" + s + "'");
    }

    private boolean peek(char c) { return pos < s.length() && s.charAt(pos) == c; }

    private void skip() { while (pos < s.length() && s.charAt(pos) == ' ') pos++; }
}
