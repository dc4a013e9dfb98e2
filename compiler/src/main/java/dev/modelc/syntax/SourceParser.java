package dev.modelc.syntax;

import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Source;
import dev.modelc.diag.Span;
import dev.modelc.grammar.ModelLexer;
import dev.modelc.grammar.ModelParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Source text → {@link Ast.SourceFile}. Lexical errors (stray characters, unterminated strings and
 * comments) are reported and the offending tokens dropped, so one run reports every error it can.
 * Returns empty when there were syntax errors.
 */
public final class SourceParser {
    /** Deeper bracket nesting than this is rejected up front: it is never intended, and it would exhaust the stack. */
    public static final int MAX_NESTING = 200;
    /** Operators chained deeper than this (e.g. 5,000 'and's) are refused for the same reason. */
    public static final int MAX_EXPRESSION_DEPTH = 1000;

    private SourceParser() {}

    public static Optional<Ast.SourceFile> parse(Source source, Diagnostics diagnostics) {
        int errorsBefore = diagnostics.errorCount();
        var lexer = new ModelLexer(CharStreams.fromString(source.text(), source.displayName()));
        lexer.removeErrorListeners();
        List<? extends Token> all = lexer.getAllTokens();
        var kept = new ArrayList<Token>();
        int depth = 0;
        boolean tooDeep = false;
        var lexicalErrorLines = new java.util.HashSet<Integer>();
        for (Token t : all) {
            switch (t.getType()) {
                case ModelLexer.ERROR_CHAR, ModelLexer.UNTERMINATED_STRING, ModelLexer.UNTERMINATED_COMMENT,
                     ModelLexer.BAD_NUMBER -> {
                    lexicalErrorLines.add(t.getLine());
                    // An unclosed string swallowed the brackets after it; the next line pays for them.
                    if (t.getType() == ModelLexer.UNTERMINATED_STRING) lexicalErrorLines.add(t.getLine() + 1);
                }
                default -> { }
            }
            switch (t.getType()) {
                case ModelLexer.ERROR_CHAR -> diagnostics.error(span(source, t), "syntax-character",
                        "unexpected character " + printable(t.getText()));
                case ModelLexer.UNTERMINATED_STRING -> {
                    diagnostics.error(span(source, t), "syntax-string", "string is not closed before the end of the line");
                    // Parse on as if it were closed, so the next line is not blamed for it.
                    var closed = new org.antlr.v4.runtime.CommonToken(t);
                    closed.setType(ModelLexer.STRING);
                    kept.add(closed);
                }
                case ModelLexer.BAD_NUMBER -> {
                    diagnostics.error(span(source, t), "literal-malformed", "malformed number '" + t.getText()
                            + "' (numbers are written like 42, 1_000, 0.5, 1e-3)");
                    var number = new org.antlr.v4.runtime.CommonToken(t);
                    number.setType(ModelLexer.INT);
                    number.setText("0");
                    kept.add(number);
                }
                case ModelLexer.UNTERMINATED_COMMENT -> diagnostics.error(span(source, t), "syntax-comment",
                        "comment opened here is not closed with '*/'");
                default -> {
                    if (t.getChannel() == Token.DEFAULT_CHANNEL) kept.add(t);
                    if (t.getType() == ModelLexer.LPAREN || t.getType() == ModelLexer.LBRACK || t.getType() == ModelLexer.LBRACE) {
                        if (++depth == MAX_NESTING + 1) {
                            tooDeep = true;
                            diagnostics.error(span(source, t), "syntax-nesting",
                                    "brackets nested more than " + MAX_NESTING + " deep");
                        }
                    } else if (t.getType() == ModelLexer.RPAREN || t.getType() == ModelLexer.RBRACK || t.getType() == ModelLexer.RBRACE) {
                        depth = Math.max(0, depth - 1);
                    }
                }
            }
        }
        if (tooDeep) return Optional.empty();
        var tokens = new CommonTokenStream(new ListTokenSource(kept, source.displayName()));
        var parser = new ModelParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorReporter(source, diagnostics, lexicalErrorLines));
        ModelParser.FileContext tree;
        try {
            // SLL first, which is fast and right for nearly every input; full LL only when it fails.
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            parser.setErrorHandler(new org.antlr.v4.runtime.BailErrorStrategy());
            try {
                tree = parser.file();
            } catch (ParseCancellationException slFailed) {
                tokens.seek(0);
                parser.reset();
                parser.setErrorHandler(new SyntaxErrorReporter(source, diagnostics, lexicalErrorLines));
                parser.getInterpreter().setPredictionMode(PredictionMode.LL);
                tree = parser.file();
            }
        } catch (StackOverflowError deep) {
            diagnostics.error(Span.of(source, 0, 0), "syntax-nesting", "program is nested too deeply to parse");
            return Optional.empty();
        }
        if (diagnostics.errorCount() > errorsBefore || parser.getNumberOfSyntaxErrors() > 0) return Optional.empty();
        try {
            var file = new AstBuilder(source, diagnostics).file(tree);
            if (diagnostics.errorCount() > errorsBefore) return Optional.empty();  // literals out of range
            var deep = AstDepth.tooDeep(file, MAX_EXPRESSION_DEPTH);
            if (deep != null) {
                diagnostics.error(deep.span(), "syntax-nesting", (deep instanceof Ast.Expr ? "expression" : "type")
                        + " nested more than " + MAX_EXPRESSION_DEPTH + " levels deep" + (deep instanceof Ast.Expr ? "; split it with let" : ""));
                return Optional.empty();
            }
            return Optional.of(file);
        } catch (StackOverflowError deep) {
            diagnostics.error(Span.of(source, 0, 0), "syntax-nesting", "program is nested too deeply");
            return Optional.empty();
        }
    }

    private static Span span(Source source, Token t) {
        return Span.of(source, source.charOffset(t.getStartIndex()), source.charOffset(t.getStopIndex() + 1));
    }

    private static String printable(String s) {
        int cp = s.codePointAt(0);
        if (cp < 0x20 || cp == 0x7f || Character.isISOControl(cp) || !Character.isDefined(cp)) {
            return String.format("U+%04X", cp);
        }
        return "'" + s + "'";
    }
}
