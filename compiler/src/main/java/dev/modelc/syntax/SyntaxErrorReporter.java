package dev.modelc.syntax;

import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Source;
import dev.modelc.diag.Span;
import dev.modelc.grammar.ModelParser;
import java.util.ArrayDeque;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery, with errors told in plain words: "expected ')' to close '(' opened at 3:18"
 * or "expected an expression, found ']'", never raw token-set dumps.
 */
final class SyntaxErrorReporter extends DefaultErrorStrategy {
    private final Source source;
    private final Diagnostics diagnostics;

    private final java.util.Set<Integer> lexicalErrorLines;

    SyntaxErrorReporter(Source source, Diagnostics diagnostics, java.util.Set<Integer> lexicalErrorLines) {
        this.source = source;
        this.diagnostics = diagnostics;
        this.lexicalErrorLines = lexicalErrorLines;
    }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        report(parser, e.getOffendingToken(), parser.getExpectedTokens());
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(parser, e.getOffendingToken(), e.getExpectedTokens());
    }

    @Override
    protected void reportFailedPredicate(Parser parser, org.antlr.v4.runtime.FailedPredicateException e) {
        report(parser, e.getOffendingToken(), parser.getExpectedTokens());
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        if (suppressed(t)) return;
        var expected = getExpectedTokens(parser);
        if (isCloser(t.getType())) {
            // A stray or mismatched closing bracket says more about brackets than about what was expected.
            Token opener = unclosedOpener(parser, t);
            if (opener == null) {
                diagnostics.error(span(t), "syntax-unmatched-bracket", "'" + t.getText() + "' has no matching opening bracket");
                return;
            }
            if (t.getType() != closerOf(opener.getType())) {
                diagnostics.error(span(t), "syntax-mismatched-bracket", "'" + t.getText() + "' does not match '" + opener.getText()
                        + "' opened at " + opener.getLine() + ":" + (opener.getCharPositionInLine() + 1)
                        + "; expected '" + closerText(opener.getType()) + "'");
                return;
            }
        }
        diagnostics.error(span(t), "syntax-unexpected", "unexpected " + describe(t) + here(parser)
                + "; expected " + ExpectedTokens.describe(expected) + suggestion(t, expected));
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        report(parser, parser.getCurrentToken(), getExpectedTokens(parser));
    }

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        if (inErrorRecoveryMode(recognizer)) return;
        beginErrorCondition(recognizer);
        switch (e) {
            case NoViableAltException n -> reportNoViableAlternative(recognizer, n);
            case InputMismatchException m -> reportInputMismatch(recognizer, m);
            default -> report(recognizer, e.getOffendingToken(), recognizer.getExpectedTokens());
        }
    }

    private void report(Parser parser, Token found, IntervalSet expected) {
        if (suppressed(found)) return;
        Token opener = unclosedOpener(parser, found);
        var others = new IntervalSet(expected);
        others.remove(ModelParser.SEMI);
        others.remove(ModelParser.COMMA);
        if (opener != null) others.remove(closerOf(opener.getType()));
        boolean onlyCloser = others.isNil() || found.getType() == Token.EOF;
        if (opener != null && onlyCloser && expected.contains(closerOf(opener.getType())) && !isCloser(found.getType())) {
            String msg = "expected '" + closerText(opener.getType()) + "' to close '" + opener.getText()
                    + "' opened at " + opener.getLine() + ":" + (opener.getCharPositionInLine() + 1)
                    + ", found " + describe(found);
            diagnostics.error(span(found), "syntax-unclosed", msg);
            return;
        }
        if (opener != null && isCloser(found.getType()) && found.getType() != closerOf(opener.getType())
                && expected.contains(closerOf(opener.getType()))) {
            diagnostics.error(span(found), "syntax-mismatched-bracket",
                    "'" + found.getText() + "' does not match '" + opener.getText() + "' opened at "
                            + opener.getLine() + ":" + (opener.getCharPositionInLine() + 1)
                            + "; expected '" + closerText(opener.getType()) + "'");
            return;
        }
        if (opener == null && isCloser(found.getType())) {
            diagnostics.error(span(found), "syntax-unmatched-bracket", "'" + found.getText() + "' has no matching opening bracket");
            return;
        }
        diagnostics.error(span(found), "syntax-expected",
                "expected " + ExpectedTokens.describe(expected) + ", found " + describe(found) + here(parser)
                        + suggestion(found, expected));
    }

    /** Errors on a line that already has a lexical error are its echoes; the first report says it all. */
    private boolean suppressed(Token t) {
        return lexicalErrorLines.contains(t.getLine());
    }

    /** "; did you mean 'input'?" when an identifier is a near miss of a keyword that fits here. */
    private static String suggestion(Token found, IntervalSet expected) {
        if (found.getType() != ModelParser.ID) return "";
        var keywords = new java.util.ArrayList<String>();
        for (int type : expected.toList()) {
            String lit = type > 0 ? ModelParser.VOCABULARY.getLiteralName(type) : null;
            if (lit != null && Character.isLetter(lit.charAt(1))) keywords.add(lit.substring(1, lit.length() - 1));
        }
        return dev.modelc.diag.Suggestions.closest(found.getText(), keywords).map(k -> "; did you mean '" + k + "'?").orElse("");
    }

    /** "in a model", "in a type" …: where the parser was, when that helps. */
    private static String here(Parser parser) {
        var ctx = parser.getContext();
        while (ctx != null) {
            switch (ctx.getRuleIndex()) {
                case ModelParser.RULE_type, ModelParser.RULE_dim, ModelParser.RULE_dimExpr -> { return " in a type"; }
                case ModelParser.RULE_setting -> { return " in a train block"; }
                case ModelParser.RULE_member, ModelParser.RULE_modelDecl -> { return " in a model"; }
                case ModelParser.RULE_fnDecl, ModelParser.RULE_fnParam -> { return " in a function"; }
                case ModelParser.RULE_importDecl -> { return " in an import"; }
                default -> ctx = ctx.getParent();
            }
        }
        return "";
    }

    /** The innermost bracket opened before {@code at} and not yet closed, or null. */
    private static Token unclosedOpener(Parser parser, Token at) {
        var stream = parser.getTokenStream();
        var stack = new ArrayDeque<Token>();
        int end = Math.min(at.getTokenIndex(), stream.size());
        for (int i = 0; i < end; i++) {
            Token t = stream.get(i);
            int type = t.getType();
            if (type == ModelParser.LPAREN || type == ModelParser.LBRACK || type == ModelParser.LBRACE) {
                stack.push(t);
            } else if (isCloser(type) && !stack.isEmpty() && closerOf(stack.peek().getType()) == type) {
                stack.pop();
            }
        }
        return stack.peek();
    }

    private static boolean isCloser(int type) {
        return type == ModelParser.RPAREN || type == ModelParser.RBRACK || type == ModelParser.RBRACE;
    }

    private static int closerOf(int opener) {
        return switch (opener) {
            case ModelParser.LPAREN -> ModelParser.RPAREN;
            case ModelParser.LBRACK -> ModelParser.RBRACK;
            default -> ModelParser.RBRACE;
        };
    }

    private static String closerText(int opener) {
        return switch (opener) {
            case ModelParser.LPAREN -> ")";
            case ModelParser.LBRACK -> "]";
            default -> "}";
        };
    }

    static String describe(Token t) {
        if (t.getType() == Token.EOF) return "end of file";
        String text = t.getText();
        if (text.length() > 20) text = text.substring(0, 17) + "...";
        return "'" + text + "'";
    }

    private Span span(Token t) {
        if (t.getType() == Token.EOF) {
            // Point just past the last visible character rather than at an empty last line.
            String text = source.text();
            int end = text.length();
            while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) end--;
            return Span.of(source, end, end);
        }
        return Span.of(source, source.charOffset(t.getStartIndex()), source.charOffset(t.getStopIndex() + 1));
    }
}
