package dev.modelc.syntax;

import dev.modelc.grammar.ModelParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Says what the parser expected in words a user knows: "an expression", "a name", "',' or ')'". */
final class ExpectedTokens {
    private ExpectedTokens() {}

    private static final int[] MEMBER_KEYWORDS = {
        ModelParser.INPUT, ModelParser.PARAM, ModelParser.CONST, ModelParser.LET,
        ModelParser.OUTPUT, ModelParser.LOSS, ModelParser.METRIC, ModelParser.TRAIN
    };

    static String describe(IntervalSet expected) {
        var parts = new ArrayList<String>();
        var rest = new IntervalSet(expected);
        if (expected.contains(ModelParser.INT) && expected.contains(ModelParser.ID)) {
            parts.add(expected.contains(ModelParser.STRING) ? "an expression" : "a dimension");
            removeExpressionStarts(rest);
        } else if (expected.contains(ModelParser.MODEL) && expected.contains(ModelParser.FN)) {
            parts.add("'import'");
            parts.add("'fn'");
            parts.add("'model'");
            rest.remove(ModelParser.IMPORT);
            rest.remove(ModelParser.FN);
            rest.remove(ModelParser.MODEL);
            rest.remove(ModelParser.SEMI);
        } else if (expected.contains(ModelParser.INPUT) && expected.contains(ModelParser.METRIC)
                && expected.contains(ModelParser.LET)) {
            parts.add("a model member (input, param, const, let, output, loss, metric or train)");
            for (int k : MEMBER_KEYWORDS) rest.remove(k);
            rest.remove(ModelParser.SEMI);
        } else if (expected.contains(ModelParser.LET) && expected.contains(ModelParser.RETURN)) {
            parts.add("'let'");
            parts.add("'return'");
            rest.remove(ModelParser.LET);
            rest.remove(ModelParser.RETURN);
            rest.remove(ModelParser.SEMI);
        } else if (expected.contains(ModelParser.ID)) {
            parts.add(expected.contains(ModelParser.LPAREN) && expected.size() <= 10 ? "a type" : "a name");
            rest.remove(ModelParser.ID);
            rest.remove(ModelParser.LPAREN);
            for (int k : MEMBER_KEYWORDS) if (k != ModelParser.LET) rest.remove(k);
        }
        rest.remove(ModelParser.SEMI);
        for (int t : rest.toList()) {
            if (parts.size() >= 5) break;
            parts.add(t == Token.EOF ? "end of file" : "'" + literal(t) + "'");
        }
        if (parts.isEmpty()) return "something else";
        return join(parts);
    }

    private static void removeExpressionStarts(IntervalSet set) {
        for (int t : List.of(ModelParser.INT, ModelParser.FLOAT, ModelParser.ID, ModelParser.STRING,
                ModelParser.TRUE, ModelParser.FALSE, ModelParser.GRAD, ModelParser.LPAREN, ModelParser.LBRACK,
                ModelParser.MINUS, ModelParser.PLUS, ModelParser.NOT, ModelParser.STAR)) {
            set.remove(t);
        }
        for (int k : MEMBER_KEYWORDS) if (k != ModelParser.LET) set.remove(k);
    }

    private static String literal(int type) {
        String lit = ModelParser.VOCABULARY.getLiteralName(type);
        if (lit != null) return lit.substring(1, lit.length() - 1);
        return ModelParser.VOCABULARY.getSymbolicName(type).toLowerCase(java.util.Locale.ROOT);
    }

    private static String join(List<String> parts) {
        if (parts.size() == 1) return parts.get(0);
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }
}
