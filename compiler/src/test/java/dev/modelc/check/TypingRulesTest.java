package dev.modelc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.Compilation;
import dev.modelc.Frontend;
import dev.modelc.diag.Diagnostic;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The typing rules of LANGUAGE.md, one small program each: a model whose inputs have the given
 * types and whose {@code output o = EXPR}; the assertion is on the {@code output o: TYPE} line of
 * {@code typedText()}, or on the {@code code()} of the first error for the negative cases.
 *
 * <p>Rows are {@code inputs | expression | expected}; inputs are {@code name: type} separated by
 * {@code ;}. Every program imports {@code std.nn} both qualified and with {@code .*}.
 */
class TypingRulesTest {

    static final String PRELUDE = "import std.nn\nimport std.nn.*\n\n";
    static final Frontend FRONTEND = Frontend.create();

    // ---- helpers ---------------------------------------------------------------------------------

    static String program(String prelude, String inputs, String expr) {
        var sb = new StringBuilder(prelude).append("model M {\n");
        for (String in : inputs.split(";")) {
            if (!in.isBlank()) sb.append("  input ").append(in.strip()).append('\n');
        }
        sb.append("  output o = ").append(expr).append("\n}\n");
        return sb.toString();
    }

    static Compilation compile(String text) {
        return FRONTEND.compileString("t.model", text);
    }

    /** The type printed for member {@code kind name} (e.g. "output o", "let g") of a program that must compile. */
    static String memberType(String text, String member) {
        var c = compile(text);
        if (c.hasErrors()) fail("expected no errors in\n" + text + "\ngot:\n" + c.renderDiagnostics());
        String prefix = "  " + member + ": ";
        return Arrays.stream(c.typedText().split("\n"))
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .findFirst()
                .orElseGet(() -> fail("no line '" + prefix + "' in typed text:\n" + c.typedText()));
    }

    static String outputType(String inputs, String expr) {
        return memberType(program(PRELUDE, inputs, expr), "output o");
    }

    static void assertType(String inputs, String expr, String expected) {
        assertEquals(expected, outputType(inputs, expr), () -> "type of `" + expr + "` with inputs " + inputs);
    }

    /** The codes of all errors of a program that must not compile. */
    static List<String> errorCodes(String text) {
        var c = compile(text);
        assertTrue(c.hasErrors(), () -> "expected an error in\n" + text + "\nbut it compiled:\n" + c.typedText());
        return c.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::code).toList();
    }

    /** The program fails, and its first error has {@code code}. */
    static void assertFirstError(String text, String code) {
        var codes = errorCodes(text);
        assertEquals(code, codes.get(0), () -> "error codes of\n" + text + "\nare " + codes + ":\n" + compile(text).renderDiagnostics());
    }

    static void assertError(String inputs, String expr, String code) {
        assertFirstError(program(PRELUDE, inputs, expr), code);
    }

    // ---- elementwise built-ins -------------------------------------------------------------------

    @Nested
    class Elementwise {
        @ParameterizedTest(name = "{0}(x: f32[B, 3]) : f32[B, 3]")
        @ValueSource(strings = {"abs", "exp", "log", "log1p", "sqrt", "rsqrt", "square", "sin", "cos", "tanh",
                "sigmoid", "relu", "gelu", "softplus", "sign", "floor", "ceil", "round"})
        void unaryKeepsTypeF32(String op) {
            assertType("x: f32[B, 3]", op + "(x)", "f32[B, 3]");
        }

        @ParameterizedTest(name = "{0}(x: f64[2, N]) : f64[2, N]")
        @ValueSource(strings = {"abs", "exp", "log", "log1p", "sqrt", "rsqrt", "square", "sin", "cos", "tanh",
                "sigmoid", "relu", "gelu", "softplus", "sign", "floor", "ceil", "round"})
        void unaryKeepsTypeF64(String op) {
            assertType("x: f64[2, N]", op + "(x)", "f64[2, N]");
        }

        @ParameterizedTest(name = "{0}(i: i32[4]) : i32[4]")
        @ValueSource(strings = {"abs", "square", "sign", "relu", "floor", "ceil", "round"})
        void integerPreservingOps(String op) {
            assertType("i: i32[4]", op + "(i)", "i32[4]");
        }

        @ParameterizedTest(name = "{0}(i: i32[4]) is type-not-float")
        @ValueSource(strings = {"exp", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "softplus", "gelu"})
        void floatOnlyOpsRejectInts(String op) {
            assertError("i: i32[4]", op + "(i)", "type-not-float");
        }

        @ParameterizedTest(name = "{1}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 3]                             | leaky_relu(x, 0.2)               | f32[B, 3]
            x: f32[B, 3]                             | leaky_relu(x)                    | f32[B, 3]
            x: f32[B, 3]                             | gelu(x, approximate="tanh")      | f32[B, 3]
            x: f32[B, 3]                             | clip(x, 0, 1)                    | f32[B, 3]
            x: f32[B, 3]; lo: f32[3]                 | clip(x, lo, 1.5)                 | f32[B, 3]
            i: i32[B]                                | clip(i, 0, 9)                    | i32[B]
            x: f32[B, 3]; y: f32[3]                  | maximum(x, y)                    | f32[B, 3]
            x: f32[B, 1]; y: f32[4]                  | minimum(x, y)                    | f32[B, 4]
            x: f32[3]; y: f64[3]                     | maximum(x, y)                    | f64[3]
            x: f32[3]                                | maximum(x, 0)                    | f32[3]
            c: bool[B, 1]; x: f32[B, 3]; y: f32[3]   | where(c, x, y)                   | f32[B, 3]
            c: bool[B, 3]; x: f32[B, 3]              | where(c, x, 0)                   | f32[B, 3]
            c: bool[B, 3]; x: f32[B, 3]              | where(c, 1.0, x)                 | f32[B, 3]
            c: bool[2, 1]; x: f32[3]; y: f32[3]      | where(c, x, y)                   | f32[2, 3]
            x: f32[B, 3]                             | cast(x, f64)                     | f64[B, 3]
            x: f32[B, 3]                             | cast(x, i32)                     | i32[B, 3]
            x: f32[B, 3]                             | cast(x > 0, f32)                 | f32[B, 3]
            i: i64[5]                                | cast(i, bool)                    | bool[5]
            x: f32[B, 3]                             | dropout(x, 0.5)                  | f32[B, 3]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 3]; lo: f32[4]                          | clip(x, lo, 1)                 | shape-broadcast
            x: f32[B, 5]                                      | leaky_relu(x, x)               | rank
            x: f32[B, 5]                                      | gelu(x, approximate="fast")    | value-choice
            x: f32[B, 5]                                      | where(x, x, x)                 | type-not-bool
            c: bool[B, 5]; x: f32[B, 5]; y: f32[3]            | where(c, x, y)                 | shape-broadcast
            c: bool[4]; x: f32[B, 5]                          | where(c, x, x)                 | shape-broadcast
            c: bool[B, 5]; x: f32[B, 5]; y: bool[B, 5]        | where(c, x, y)                 | type-mismatch
            x: f32[B, 3]; y: f32[4]                           | maximum(x, y)                  | shape-broadcast
            b: bool[3]                                        | abs(b)                         | type-bool-arithmetic
            x: f32[B, 5]                                      | cast(x, float)                 | name-unknown
            x: f32[B, 5]                                      | cast(x, 3)                     | type-dtype
            x: f32[B, 5]                                      | dropout(x, 1.0)                | value-range
            x: f32[B, 5]                                      | dropout(x, x)                  | static-required
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }
    }

    // ---- operators, promotion and broadcasting ---------------------------------------------------

    @Nested
    class OperatorsAndPromotion {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            # arithmetic keeps the tensor type
            x: f32[B, 3]; y: f32[B, 3]        | x + y          | f32[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x - y          | f32[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x * y          | f32[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x / y          | f32[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x % y          | f32[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x ** y         | f32[B, 3]
            x: f32[B, 3]                      | -x             | f32[B, 3]
            x: f32[B, 3]                      | +x             | f32[B, 3]
            i: i32[3]                         | -i             | i32[3]
            i: i32[3]                         | i % 2          | i32[3]
            i: i32[3]                         | i ** 2         | i32[3]
            # dtype promotion
            x: f32[B, 3]; i: i32[B, 3]        | x + i          | f32[B, 3]
            x: f32[B, 3]; i: i32[B, 3]        | i * x          | f32[B, 3]
            x: f32[3]; y: f64[3]              | x + y          | f64[3]
            x: f32[3]; y: f64[3]              | x ** y         | f64[3]
            i: i32[3]; x: f64[3]              | i * x          | f64[3]
            i: i32[3]; j: i64[3]              | i + j          | i64[3]
            # literals adapt to the tensor's element type
            x: f32[3]                         | x * 2          | f32[3]
            x: f32[3]                         | 2 * x          | f32[3]
            x: f32[3]                         | x + 1          | f32[3]
            x: f32[3]                         | 1.5 - x        | f32[3]
            x: f32[3]                         | -2 * x         | f32[3]
            x: f32[3]                         | x ** 2         | f32[3]
            x: f32[3]                         | 2 ** x         | f32[3]
            x: f32[3]                         | x * 1e-3       | f32[3]
            x: f64[3]                         | x * 0.5        | f64[3]
            x: f64[3]                         | x + 1          | f64[3]
            i: i32[3]                         | i * 0.5        | f32[3]
            i: i64[3]                         | i * 0.5        | f32[3]
            i: i32[3]                         | i + 1          | i32[3]
            # literals alone follow Python: an integer to a negative power is a float
            i: i32[3]                         | i * 2 ** 2     | i32[3]
            i: i32[3]                         | i * 2 ** -1    | f32[3]
            x: f64[3]                         | x * 2 ** -1    | f64[3]
            # true division of integers gives f32
            i: i32[3]; j: i32[3]              | i / j          | f32[3]
            i: i32[3]                         | i / 2          | f32[3]
            i: i64[3]; j: i64[3]              | i / j          | f32[3]
            i: i32[3]; j: i64[3]              | i / j          | f32[3]
            i: i32[3]; x: f64[3]              | i / x          | f64[3]
            # scalars of literals
            x: f32[3]                         | 3              | i64
            x: f32[3]                         | 0.5            | f32
            x: f32[3]                         | true           | bool
            x: f32[3]                         | 7 / 2          | f32
            x: f32[3]                         | 2 ** 0.5       | f32
            # comparisons give bool, logic stays bool
            x: f32[B, 3]; y: f32[B, 3]        | x < y          | bool[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x <= y         | bool[B, 3]
            x: f32[B, 3]; y: f32[3]           | x > y          | bool[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x >= y         | bool[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x == y         | bool[B, 3]
            x: f32[B, 3]; y: f32[B, 3]        | x != y         | bool[B, 3]
            x: f32[B, 3]                      | x >= 0.5       | bool[B, 3]
            i: i32[B]                         | i == 3         | bool[B]
            x: f32[B]; i: i32[B]              | x < i          | bool[B]
            b: bool[3]; c: bool[3]            | b and c        | bool[3]
            b: bool[3]; c: bool[3]            | b or c         | bool[3]
            b: bool[3]                        | not b          | bool[3]
            b: bool[3]; c: bool[3]            | not b or c     | bool[3]
            b: bool[B, 1]; c: bool[4]         | b and c        | bool[B, 4]
            b: bool[3]; c: bool[3]            | b == c         | bool[3]
            x: f32[3]                         | not (x > 0) and x < 1 | bool[3]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 1]; y: f32[1, N]             | x + y   | f32[B, N]
            x: f32[B, 3]; y: f32[3]                | x + y   | f32[B, 3]
            x: f32[B, 3]; y: f32[1, 3]             | x * y   | f32[B, 3]
            x: f32[B, 3]; y: f32[1]                | x - y   | f32[B, 3]
            x: f32[B, 3]; y: f32                   | x / y   | f32[B, 3]
            x: f32[B, 1, 4]; y: f32[5, 1]          | x + y   | f32[B, 5, 4]
            x: f32[1, 1]; y: f32[B, N]             | x + y   | f32[B, N]
            x: f32[B, 3]; y: f32[B, 3]             | x + y   | f32[B, 3]
            x: f32[B, N]; y: f32[N]                | x + y   | f32[B, N]
            x: f32[2, 1, 3]; y: f32[4, 1]          | x + y   | f32[2, 4, 3]
            x: f32[(B*2)/2, 3]; y: f32[B, 3]       | x + y   | f32[B, 3]
            x: f32[B + 1, 3]; y: f32[1 + B, 3]     | x + y   | f32[B + 1, 3]
            x: f32[2 * B]; y: f32[B * 2]           | x + y   | f32[2*B]
            """)
        void broadcasting(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 3]; y: f32[4]              | x + y       | shape-broadcast
            x: f32[B, 3]; y: f32[B, 4]           | x * y       | shape-broadcast
            x: f32[2, 3]; y: f32[3, 3]           | x - y       | shape-broadcast
            x: f32[B, 3]; y: f32[4]              | x < y       | shape-broadcast
            b: bool[3]                           | b + 1       | type-bool-arithmetic
            b: bool[3]                           | -b          | type-bool-arithmetic
            x: f32[3]                            | 1 + true    | type-bool-arithmetic
            x: f32[3]                            | not x       | type-not-bool
            b: bool[3]; x: f32[3]                | b and x     | type-not-bool
            x: f32[3]                            | x or x      | type-not-bool
            x: f32[3]                            | x == true   | type-mismatch
            x: f32[3]                            | x + "a"     | type-operand
            x: f32[3]                            | x.foo       | attribute-unknown
            x: f32[3]                            | y + x       | name-unknown
            x: f32[3]                            | relu + x    | name-function-value
            x: f32[3]                            | x(1)        | call-not-function
            i: i32[3]                            | i ** -1     | type-int-negative-power
            i: i64[3]                            | i ** -2     | type-int-negative-power
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }

        @Test
        void shapeErrorNamesBothShapesAndTheOperation() {
            var c = compile(program(PRELUDE, "x: f32[B, 3]; y: f32[4]", "x + y"));
            var d = c.diagnostics().get(0);
            assertEquals("shape-broadcast", d.code());
            assertTrue(d.message().contains("f32[B, 3]") && d.message().contains("f32[4]") && d.message().contains("+"), d.message());
            assertEquals(7, d.span().line(), d.span().toString());
        }
    }

    // ---- matrix product ----------------------------------------------------------------------------

    @Nested
    class MatrixProduct {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 784]; w: f32[784, 256]          | x @ w          | f32[B, 256]
            v: f32[3]; m: f32[3, 4]                   | v @ m          | f32[4]
            v: f32[4]; m: f32[3, 4]                   | m @ v          | f32[3]
            v: f32[4]; w: f32[4]                      | v @ w          | f32
            a: f32[2, 1, B, 3]; b: f32[5, 3, 4]       | a @ b          | f32[2, 5, B, 4]
            a: f32[B, 2, 3]; b: f32[3, 4]             | a @ b          | f32[B, 2, 4]
            a: f32[3]; b: f32[B, 3, 4]                | a @ b          | f32[B, 4]
            a: f32[B, 2, 3]; b: f32[3]                | a @ b          | f32[B, 2]
            a: f32[B, 3]; b: f32[N, 3]                | a @ b.T        | f32[B, N]
            a: f32[2, 3]; b: f64[3, 4]                | a @ b          | f64[2, 4]
            i: i32[2, 3]; j: i32[3, 4]                | i @ j          | i32[2, 4]
            x: f32[B, 3]; w: f32[3, 5]                | matmul(x, w)   | f32[B, 5]
            x: f32[B, 3]                              | matmul(x, transpose(x)) | f32[B, B]
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]     | x @ w + b      | f32[B, 5]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 784]; w: f32[786, 256]          | x @ w          | shape-matmul
            x: f32[B, 3]                              | x @ x          | shape-matmul
            v: f32[3]; w: f32[4]                      | v @ w          | shape-matmul
            x: f32[B, 5]                              | x @ 3          | shape-matmul
            x: f32[2, 3, 4]; y: f32[5, 4, 2]          | x @ y          | shape-matmul-batch
            x: f32[B, 3]; w: f32[4, 5]                | matmul(x, w)   | shape-matmul
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }

        @Test
        void matmulMessageMatchesTheSpec() {
            var c = compile(program(PRELUDE, "x: f32[B, 784]; w: f32[786, 256]", "x @ w"));
            var d = c.diagnostics().get(0);
            assertEquals("matmul: inner dimensions differ: f32[B, 784] @ f32[786, 256]", d.message());
        }
    }

    // ---- reductions ------------------------------------------------------------------------------

    @Nested
    class Reductions {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[2, 3]                 | sum(x)                                  | f32
            x: f32[2, 3, 4]              | sum(x, axis=0)                          | f32[3, 4]
            x: f32[2, 3, 4]              | sum(x, axis=(0, 2))                     | f32[3]
            x: f32[2, 3, 4]              | sum(x, axis=[0, 2])                     | f32[3]
            x: f32[2, 3, 4]              | sum(x, axis=-1)                         | f32[2, 3]
            x: f32[2, 3, 4]              | sum(x, axis=(-1, -3))                   | f32[3]
            x: f32[2, 3, 4]              | sum(x, axis=-1, keepdims=true)          | f32[2, 3, 1]
            x: f32[2, 3, 4]              | sum(x, keepdims=true)                   | f32[1, 1, 1]
            x: f32[B, 5]                 | sum(x, axis=(0, 1), keepdims=true)      | f32[1, 1]
            x: f32[B, 5]                 | mean(x, axis=0)                         | f32[5]
            x: f32[B, 5]                 | mean(x)                                 | f32
            x: f32[B, 3]                 | prod(x, axis=0)                         | f32[3]
            x: f32[B, 3]                 | max(x, axis=1, keepdims=true)           | f32[B, 1]
            x: f32[B, 3]                 | min(x)                                  | f32
            x: f32[B, 3]                 | logsumexp(x, axis=-1)                   | f32[B]
            x: f32[B, 3]                 | logsumexp(x, axis=-1, keepdims=true)    | f32[B, 1]
            x: f32[B, 3]                 | var(x)                                  | f32
            x: f32[2, 3]                 | var(x, axis=0, ddof=1)                  | f32[3]
            x: f32[2, 3]                 | std(x, ddof=1)                          | f32
            x: f32[B, 3]                 | std(x, axis=-1, keepdims=true)          | f32[B, 1]
            x: f64[4]                    | var(x)                                  | f64
            x: f64[4]                    | mean(x)                                 | f64
            x: f32[2, 3, 4]              | argmax(x, axis=1)                       | i64[2, 4]
            x: f32[B, 3]                 | argmax(x, axis=-1)                      | i64[B]
            x: f32[B, 3]                 | argmin(x, axis=-1, keepdims=true)       | i64[B, 1]
            x: f32[B, 3]                 | argmax(x)                               | i64
            i: i32[B, 3]                 | argmax(i, axis=1)                       | i64[B]
            i: i32[2, 3]                 | mean(i, axis=0)                         | f32[3]
            i: i64[3]                    | mean(i)                                 | f32
            b: bool[2, 3]                | sum(b)                                  | i64
            b: bool[2, 3]                | sum(b, axis=1)                          | i64[2]
            b: bool[3]                   | prod(b)                                 | i64
            i: i32[3]                    | sum(i)                                  | i32
            i: i32[3]                    | prod(i)                                 | i32
            x: f32[B, 3]                 | sum(x, axis=-1, keepdims=true) / x      | f32[B, 3]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[3, 3]    | sum(x, axis=2)              | axis-range
            x: f32[3, 3]    | sum(x, axis=-3)             | axis-range
            x: f32[3, 3]    | mean(x, axis=(0, 5))        | axis-range
            x: f32[3, 3]    | argmax(x, axis=2)           | axis-range
            x: f32[3, 3]    | logsumexp(x, axis=-3)       | axis-range
            x: f32[B, 3]    | sum(x, axis=(0, 0))         | axis-duplicate
            x: f32[B, 3]    | sum(x, axis=(1, -1))        | axis-duplicate
            x: f32[B, 5]    | argmax(x, axis=(0, 1))      | axis-single
            x: f32[B, 5]    | sum(x, axis=1.5)            | type-static-int
            x: f32[B, 5]    | sum(x, axis=x)              | static-required
            x: f32[B, 5]    | sum(x, keepdims=1)          | type-static-bool
            x: f32[B, 5]    | var(x, ddof=-1)             | value-range
            i: i32[B, 5]    | var(i)                      | type-not-float
            i: i32[B, 5]    | logsumexp(i)                | type-not-float
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }
    }

    // ---- shape operations ------------------------------------------------------------------------

    @Nested
    class ShapeOps {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 7, 7, 64]            | reshape(x, [B, -1])                | f32[B, 3136]
            x: f32[B, 7, 7, 64]            | reshape(x, [B, 49, 64])            | f32[B, 49, 64]
            x: f32[B, 8]                   | reshape(x, [-1, 4])                | f32[2*B, 4]
            x: f32[B, 8]                   | reshape(x, [2 * B, 4])             | f32[2*B, 4]
            x: f32[B, 7, 7, 64]            | reshape(x, [B * 2, -1])            | f32[2*B, 1568]
            x: f32[B, 8]                   | reshape(x, [B * 2, -1])            | f32[2*B, 4]
            x: f32[B, 8]                   | reshape(x, [-1, B])                | f32[8, B]
            x: f32[B, 8]                   | reshape(x, [-1])                   | f32[8*B]
            x: f32[6]                      | reshape(x, [2, 3])                 | f32[2, 3]
            x: f32[6]                      | reshape(x, (3, -1))                | f32[3, 2]
            x: f32[2, 3, 4]                | reshape(x, [4, -1, 2])             | f32[4, 3, 2]
            x: f32[B, 28, 28]              | reshape(x, [B, 28, 28, 1])         | f32[B, 28, 28, 1]
            x: f32[B, 784]                 | reshape(x, [-1, 28, 28, 1])        | f32[B, 28, 28, 1]
            x: f32[B, 7, 7, 64]            | flatten(x)                         | f32[B, 3136]
            x: f32[B, 5]                   | flatten(x)                         | f32[B, 5]
            x: f32[B]                      | flatten(x)                         | f32[B, 1]
            x: f32[2, 3, 4]                | transpose(x)                       | f32[4, 3, 2]
            x: f32[2, 3, 4]                | transpose(x, (2, 0, 1))            | f32[4, 2, 3]
            x: f32[2, 3, 4]                | transpose(x, (-1, 0, 1))           | f32[4, 2, 3]
            x: f32[B, 3]                   | transpose(x, (1, 0))               | f32[3, B]
            x: f32[2, 3]                   | x.T                                | f32[3, 2]
            x: f32[B, 3]                   | x.T                                | f32[3, B]
            x: f32[B, 3]                   | x.T.T                              | f32[B, 3]
            x: f32[2, 3]; y: f32[5, 3]     | concat((x, y), axis=0)             | f32[7, 3]
            x: f32[2, 3]; y: f32[5, 3]     | concat((x, y))                     | f32[7, 3]
            x: f32[B, 3]; y: f32[B, 4]     | concat((x, y), axis=1)             | f32[B, 7]
            x: f32[B, 3]; y: f32[B, 4]     | concat((x, y), axis=-1)            | f32[B, 7]
            x: f32[B, 3]                   | concat((x, x, x), axis=0)          | f32[3*B, 3]
            x: f32[B, 3]; y: f32[C, 3]     | concat((x, y), axis=0)             | f32[B + C, 3]
            x: f32[2, 3]; y: f32[2, 3]     | stack((x, y), axis=1)              | f32[2, 2, 3]
            x: f32[2, 3]; y: f32[2, 3]     | stack((x, y))                      | f32[2, 2, 3]
            x: f32[B, 3]                   | stack((x, x, x), axis=-1)          | f32[B, 3, 3]
            x: f32[B, 3]                   | stack((x, x, x), axis=2)           | f32[B, 3, 3]
            x: f32[2, 1, 3]                | squeeze(x)                         | f32[2, 3]
            x: f32[2, 1, 3]                | squeeze(x, axis=1)                 | f32[2, 3]
            x: f32[1, 2, 1, 3]             | squeeze(x, axis=(0, -2))           | f32[2, 3]
            x: f32[B, 1]                   | squeeze(x, axis=-1)                | f32[B]
            x: f32[2, 3]                   | unsqueeze(x, 0)                    | f32[1, 2, 3]
            x: f32[2, 3]                   | unsqueeze(x, 1)                    | f32[2, 1, 3]
            x: f32[2, 3]                   | unsqueeze(x, -1)                   | f32[2, 3, 1]
            x: f32[2, 3]                   | unsqueeze(x, 2)                    | f32[2, 3, 1]
            x: f32[3]; z: f32[B]           | broadcast_to(x, [B, 3])            | f32[B, 3]
            x: f32[B, 1]                   | broadcast_to(x, [B, 4])            | f32[B, 4]
            x: f32                         | broadcast_to(x, [2, 3])            | f32[2, 3]
            x: f32[3]                      | broadcast_to(x, (4, 2, 3))         | f32[4, 2, 3]
            y: i32[B]                      | one_hot(y, 10)                     | f32[B, 10]
            y: i64[B, 4]                   | one_hot(y, 5)                      | f32[B, 4, 5]
            y: i32                         | one_hot(y, 3)                      | f32[3]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 3]                   | reshape(x, [B, 4])                 | reshape-size
            x: f32[6]                      | reshape(x, [4, -1])                | reshape-size
            x: f32[2, 3]                   | reshape(x, [7])                    | reshape-size
            x: f32[B, 5]                   | reshape(x, [B, -1, -1])            | reshape-infer
            x: f32[B, 5]                   | reshape(x, [B, -2])                | reshape-negative
            x: f32[B, 5]                   | reshape(x, x)                      | static-required
            x: f32                         | flatten(x)                         | rank
            x: f32[B, 3]                   | transpose(x, (0, 0))               | axis-duplicate
            x: f32[B, 3]                   | transpose(x, (0, 1, 2))            | axis-permutation
            x: f32[B, 3]                   | transpose(x, (0, 2))               | axis-range
            x: f32[2, 3, 4]                | x.T                                | rank
            x: f32[B, 3]                   | concat((x, x), axis=2)             | axis-range
            x: f32[B, 3]; y: f32[B, 4]     | concat((x, y), axis=0)             | shape-concat
            x: f32[B, 3]; y: f32[3]        | concat((x, y), axis=0)             | shape-concat
            x: f32[B, 5]                   | concat(x, axis=0)                  | type-tuple
            x: f32[B, 5]; i: i32[B, 5]     | concat((x, i), axis=0)             | type-mismatch
            x: f32[B, 3]; y: f32[B, 4]     | stack((x, y))                      | shape-stack
            x: f32[B, 5]                   | stack((x, x), axis=3)              | axis-range
            x: f32[B, 3]                   | squeeze(x, axis=1)                 | shape-squeeze
            x: f32[B, 1]                   | squeeze(x, axis=2)                 | axis-range
            x: f32[B, 5]                   | unsqueeze(x, 3)                    | axis-range
            x: f32[B, 5]                   | unsqueeze(x, -4)                   | axis-range
            x: f32[B, 5]                   | broadcast_to(x, [B, 6])            | shape-broadcast
            x: f32[B, 5]                   | broadcast_to(x, [5])               | shape-broadcast
            x: f32[B, 5]                   | one_hot(x, 3)                      | type-not-int
            y: i32[B]                      | one_hot(y, 0)                      | value-range
            y: i32[B]                      | one_hot(y, 2.5)                    | type-static-int
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }

        @Test
        void emptySliceReshapes() {
            assertType("x: f32[10]", "reshape(x[5:2], [0, 3])", "f32[0, 3]");
        }

        @Test
        void reshapeOfEmptyTensorCannotInfer() {
            assertError("x: f32[10]", "reshape(x[5:2], [0, -1])", "reshape-infer");
        }
    }

    // ---- indexing and slicing ----------------------------------------------------------------------

    @Nested
    class IndexingAndSlicing {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[2, 3]          | x[0]                 | f32[3]
            x: f32[2, 3]          | x[1, 2]              | f32
            x: f32[2, 3]          | x[-1]                | f32[3]
            x: f32[B, 3]          | x[0]                 | f32[3]
            x: f32[2, 3]          | x[:, 0]              | f32[2]
            x: f32[B, 3]          | x[:, -1]             | f32[B]
            x: f32[5, 6]          | x[1:3, ::2]          | f32[2, 3]
            x: f32[2, 3, 4]       | x[..., -1]           | f32[2, 3]
            x: f32[2, 3, 4]       | x[...]               | f32[2, 3, 4]
            x: f32[2, 3, 4]       | x[0, ...]            | f32[3, 4]
            x: f32[2, 3, 4]       | x[..., 1:, 0]        | f32[2, 2]
            x: f32[2, 3, 4]       | x[1, ..., ::-1]      | f32[3, 4]
            x: f32[2, 3, 4]       | x[-1]                | f32[3, 4]
            x: f32[2, 3, 4]       | x[:, 1]              | f32[2, 4]
            x: f32[10]            | x[-3:]               | f32[3]
            x: f32[10]            | x[:-3]               | f32[7]
            x: f32[10]            | x[2:8]               | f32[6]
            x: f32[10]            | x[8:2]               | f32[0]
            x: f32[10]            | x[::3]               | f32[4]
            x: f32[10]            | x[1::3]              | f32[3]
            x: f32[10]            | x[100:]              | f32[0]
            x: f32[10]            | x[-100:]             | f32[10]
            x: f32[10]            | x[:100]              | f32[10]
            # negative steps
            x: f32[6]             | x[::-1]              | f32[6]
            x: f32[6]             | x[4:1:-1]            | f32[3]
            x: f32[10]            | x[::-2]              | f32[5]
            x: f32[10]            | x[-1::-3]            | f32[4]
            x: f32[10]            | x[2:8:-1]            | f32[0]
            x: f32[10]            | x[:-11:-1]           | f32[10]
            x: f32[B, 6]          | x[:, ::-2]           | f32[B, 3]
            x: f32[B]             | x[::-1]              | f32[B]
            # symbolic axes
            x: f32[B]             | x[1:]                | f32[B - 1]
            x: f32[B]             | x[:-1]               | f32[B - 1]
            x: f32[B]             | x[::2]               | f32[(B + 1)/2]
            x: f32[B, 10]         | x[:, 0:10:2]         | f32[B, 5]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 3]          | x[0, 0, 0]           | index-too-many
            x: f32[B, 3]          | x[:, 3]              | index-range
            x: f32[B, 3]          | x[:, -4]             | index-range
            x: f32[B, 3]          | x[:, ::0]            | index-step
            x: f32[B, 3]          | x[..., ...]          | index-ellipsis
            x: f32[B, 5]          | x[x]                 | index-static
            x: f32[B, 5]          | x[0.5]               | index-static
            x: f32                | x[0]                 | index-too-many
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }

        static final String TUPLE = PRELUDE + """
                model M {
                  input z: f32[B, 5]
                  param w: f32[5, 7] = zeros()
                  let g = grad(sum(z @ w), (z, w))
                  output o = %s
                }
                """;

        @ParameterizedTest(name = "g[..] = {0} : {1}")
        @CsvSource(delimiter = '|', textBlock = """
            g[0]         | f32[B, 5]
            g[1]         | f32[5, 7]
            g[-1]        | f32[5, 7]
            g[0] + 1     | f32[B, 5]
            g[1][0, 1:3] | f32[2]
            """)
        void indexingATuplePicksAnElement(String expr, String expected) {
            assertEquals(expected, memberType(TUPLE.formatted(expr), "output o"));
        }

        @Test
        void indexingATupleOutOfRange() {
            assertFirstError(TUPLE.formatted("g[2]"), "index-range");
            assertFirstError(TUPLE.formatted("g[-3]"), "index-range");
        }

        @Test
        void hugeStepsSelectOneElement() {
            assertType("x: f32[10]", "x[::9223372036854775807]", "f32[1]");
            assertType("x: f32[10]", "x[::-9223372036854775807]", "f32[1]");
            assertType("x: f32[10]", "x[9223372036854775807::-9223372036854775807]", "f32[1]");
            // a step of Long.MIN_VALUE: one element (NumPy), or at least an error rather than a wrong type
            var c = compile(program(PRELUDE, "x: f32[10]", "x[::-9223372036854775807 - 1]"));
            assertTrue(c.hasErrors() || c.typedText().contains("output o: f32[1]\n"), c.typedText());
        }

        @Test
        void outOfRangeBoundsOnSymbolicAxis() {
            var a = compile(program(PRELUDE, "x: f32[B]", "x[-9223372036854775807:]"));
            assertTrue(a.hasErrors() || a.typedText().contains("output o: f32[B]"), a.typedText());
            var b = compile(program(PRELUDE, "x: f32[B]", "x[9223372036854775807:]"));
            assertTrue(b.hasErrors() || b.typedText().contains("output o: f32[0]"), b.typedText());
        }
    }

    // ---- neural operations -------------------------------------------------------------------------

    @Nested
    class Neural {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 10]                                  | softmax(x)                                         | f32[B, 10]
            x: f32[B, 10]                                  | softmax(x, axis=-1)                                | f32[B, 10]
            x: f32[B, 10]                                  | softmax(x, axis=0)                                 | f32[B, 10]
            x: f32[B, 3]                                   | log_softmax(x, axis=0)                             | f32[B, 3]
            x: f64[B, 3]                                   | log_softmax(x)                                     | f64[B, 3]
            # conv2d: 28x28 k3 valid -> 26, same stride 2 -> 14, dilation 2 valid -> 24
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k)                                       | f32[B, 26, 26, 8]
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k, padding="valid")                      | f32[B, 26, 26, 8]
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k, stride=1, padding="same")             | f32[B, 28, 28, 8]
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k, stride=2, padding="same")             | f32[B, 14, 14, 8]
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k, stride=2)                             | f32[B, 13, 13, 8]
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k, dilation=2)                           | f32[B, 24, 24, 8]
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k, dilation=2, padding="same")           | f32[B, 28, 28, 8]
            x: f32[B, 27, 27, 1]; k: f32[3, 3, 1, 8]       | conv2d(x, k, stride=2, padding="same")             | f32[B, 14, 14, 8]
            x: f32[B, 28, 20, 3]; k: f32[5, 3, 3, 4]       | conv2d(x, k)                                       | f32[B, 24, 18, 4]
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 4]       | conv2d(x, k, stride=(2, 1))                        | f32[B, 13, 26, 4]
            x: f32[B, 13, 13, 32]; k: f32[3, 3, 32, 64]    | conv2d(x, k, padding="valid")                      | f32[B, 11, 11, 64]
            x: f32[B, 28, 28, 8]                           | maxpool2d(x, 2)                                    | f32[B, 14, 14, 8]
            x: f32[B, 26, 26, 32]                          | maxpool2d(x, 2)                                    | f32[B, 13, 13, 32]
            x: f32[B, 11, 11, 64]                          | maxpool2d(x, 2)                                    | f32[B, 5, 5, 64]
            x: f32[B, 28, 28, 1]                           | maxpool2d(x, 2, stride=1)                          | f32[B, 27, 27, 1]
            x: f32[B, 28, 28, 1]                           | maxpool2d(x, 3)                                    | f32[B, 9, 9, 1]
            x: f32[B, 28, 28, 1]                           | maxpool2d(x, (2, 3), stride=(1, 2))                | f32[B, 27, 13, 1]
            x: f32[B, 28, 28, 8]                           | avgpool2d(x, 3, stride=2)                          | f32[B, 13, 13, 8]
            x: f32[B, 28, 28, 8]                           | avgpool2d(x, 2)                                    | f32[B, 14, 14, 8]
            x: f32[B, 28, 28, 1]                           | avgpool2d(x, 2, padding="same")                    | f32[B, 14, 14, 1]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 5]                                | softmax(x, axis=2)               | axis-range
            i: i32[B, 5]                                | softmax(i)                       | type-not-float
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 2, 8]    | conv2d(x, k)                     | shape-conv2d
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1]       | conv2d(x, k)                     | shape-conv2d
            x: f32[B, 28, 1]; k: f32[3, 3, 1, 4]        | conv2d(x, k)                     | shape-conv2d
            x: f32[B, 2, 2, 1]; k: f32[3, 3, 1, 8]      | conv2d(x, k)                     | shape-window
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 4]    | conv2d(x, k, padding="full")     | value-choice
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]    | conv2d(x, k, stride=0)           | value-range
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 8]    | conv2d(x, k, dilation=-1)        | value-range
            x: f32[B, 28, 1]                            | maxpool2d(x, 2)                  | shape-pool
            x: f32[B, 28, 28, 1]                        | maxpool2d(x, 0)                  | value-range
            x: f32[B, 28, 28, 1]                        | maxpool2d(x, 2, stride=-1)       | value-range
            x: f32[B, 28, 28, 1]                        | maxpool2d(x, 2.5)                | type-static-int
            x: f32[B, 28, 28, 1]                        | avgpool2d(x, 29)                 | shape-window
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }
    }

    // ---- grad ------------------------------------------------------------------------------------------

    @Nested
    class Grad {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[3]                        | grad(sum(x * x), x)                              | f32[3]
            x: f32[B, 3]                     | grad(mean(x), x)                                 | f32[B, 3]
            x: f64[2, 2]                     | grad(sum(x @ x), x)                              | f64[2, 2]
            x: f32[3]; w: f32[3, 2]          | grad(sum(x @ w), w)                              | f32[3, 2]
            x: f32[3]                        | grad(sum(grad(sum(x * x * x), x)), x)            | f32[3]
            x: f32[3]                        | grad(sum(grad(sum(grad(sum(sin(x)), x)), x)), x) | f32[3]
            x: f32                           | grad(x * x, x)                                   | f32
            x: f32                           | grad(grad(x * x * x, x), x)                      | f32
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @Test
        void tupleOfTargetsGivesATuple() {
            String text = PRELUDE + """
                    model M {
                      input x: f32[B, 5]
                      param w: f32[5, 7] = he_normal()
                      param b: f32[7] = zeros()
                      let g = grad(sum(x @ w + b), (w, b))
                      let h = grad(sum(x @ w), (x, w))
                      output o = x
                    }
                    """;
            assertEquals("(f32[5, 7], f32[7])", memberType(text, "let g"));
            assertEquals("(f32[B, 5], f32[5, 7])", memberType(text, "let h"));
        }

        @Test
        void gradOfParamInsideAModel() {
            String text = PRELUDE + """
                    model M {
                      input x: f32[B, 4]
                      param w: f32[4, 2] = he_normal()
                      output o = grad(mean(square(x @ w)), w)
                      output o2 = grad(sum(grad(mean(square(x @ w)), w)), w)
                    }
                    """;
            assertEquals("f32[4, 2]", memberType(text, "output o"));
            assertEquals("f32[4, 2]", memberType(text, "output o2"));
        }

        @Test
        void gradInAFunctionReturningATuple() {
            String text = PRELUDE + """
                    fn pair(x: f32[N], w: f32[N, M]) -> (f32[N], f32[N, M]) = grad(sum(x @ w), (x, w))
                    model M {
                      input k: f32[3]
                      param w: f32[3, 7] = zeros()
                      let g = pair(k, w)
                      output o = k
                    }
                    """;
            assertEquals("(f32[3], f32[3, 7])", memberType(text, "let g"));
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[3]          | grad(x, x)                 | grad-scalar
            x: f32[B, 5]       | grad(sum(x), 3)            | grad-target
            x: f32[B, 5]       | grad(sum(x), sum(x))       | grad-target
            i: i32[B, 5]       | grad(sum(i), i)            | grad-target
            x: f32[3]          | grad(sum(x), (x, x))       | model-output-type
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }
    }

    // ---- functions: dimension variables, packs, overloads, defaults, the standard library --------------

    @Nested
    class Functions {
        static final String FNS = PRELUDE + """
                fn vconv(x: f32[N, H, W, C], k: f32[KH, KW, C, O]) -> f32[N, H - KH + 1, W - KW + 1, O] = conv2d(x, k)
                fn pool(x: f32[N, H, W, C]) -> f32[N, (H - 2) / 2 + 1, (W - 2) / 2 + 1, C] = maxpool2d(x, 2)
                fn crop(x: f32[N]) -> f32[N - 2] = x[1:-1]
                fn half(x: f32[N]) -> f32[(N * 2) / 2] = x
                fn dbl(x: f32[N]) -> f32[2 * N] = concat((x, x))
                fn twice(x: f32[*S]) -> f32[*S] = x * 2
                fn last(x: f32[*S, C]) -> f32[*S] = sum(x, axis=-1)
                fn scale(x: f32[N], s: f32 = 2.0) = x * s
                fn inferred(x: f32[N, M]) = x.T
                fn block(x: f32[B, I], w: f32[I, O], b: f32[O]) -> f32[B, O] {
                  let z = dense(x, w, b)
                  return relu(z)
                }
                """;

        static String typeIn(String inputs, String expr) {
            return memberType(program(FNS, inputs, expr), "output o");
        }

        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            # dimension arithmetic in signatures: H = 28, KH = 3 gives 26
            x: f32[B, 28, 28, 1]; k: f32[3, 3, 1, 4]     | vconv(x, k)                       | f32[B, 26, 26, 4]
            x: f32[B, 20, 9, 2]; k: f32[5, 2, 2, 4]      | vconv(x, k)                       | f32[B, 16, 8, 4]
            x: f32[B, 28, 28, 3]                         | pool(x)                           | f32[B, 14, 14, 3]
            x: f32[B, 27, 27, 3]                         | pool(x)                           | f32[B, 13, 13, 3]
            v: f32[28]                                   | crop(v)                           | f32[26]
            v: f32[N]                                    | crop(v)                           | f32[N - 2]
            z: f32[B, 5]                                 | half(z[0])                        | f32[5]
            v: f32[B]                                    | half(v)                           | f32[B]
            v: f32[28]                                   | dbl(v)                            | f32[56]
            v: f32[B]                                    | dbl(v)                            | f32[2*B]
            # shape packs
            t: f32[2, 3, 4]                              | twice(t)                          | f32[2, 3, 4]
            t: f32                                       | twice(t)                          | f32
            t: f32[B]                                    | twice(t)                          | f32[B]
            t: f32[2, 3, 4]                              | last(t)                           | f32[2, 3]
            t: f32[7]                                    | last(t)                           | f32
            # defaults
            k: f32[3]                                    | scale(k)                          | f32[3]
            k: f32[3]                                    | scale(k, s=3.0)                   | f32[3]
            k: f32[3]                                    | scale(k, 3)                       | f32[3]
            x: f32[2, 5]                                 | inferred(x)                       | f32[5, 2]
            # functions calling functions
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]        | block(x, w, b)                    | f32[B, 5]
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]        | block(b=b, w=w, x=x)              | f32[B, 5]
            """)
        void userFunctions(String inputs, String expr, String expected) {
            assertEquals(expected, typeIn(inputs, expr));
        }

        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]        | nn.dense(x, w, b)                            | f32[B, 5]
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]        | dense(x, w, b)                               | f32[B, 5]
            x: f32[3]; w: f32[3, 5]; b: f32[5]           | dense(x, w, b)                               | f32[5]
            x: f32[B, T, 3]; w: f32[3, 5]; b: f32[5]     | dense(x, w, b)                               | f32[B, T, 5]
            x: f32[B, 5]; g: f32[5]; b: f32[5]           | layer_norm(x, g, b)                          | f32[B, 5]
            x: f32[B, 5]; g: f32[5]; b: f32[5]           | nn.layer_norm(x, g, b, eps=1e-3)             | f32[B, 5]
            x: f32[B, 5]                                 | elu(x)                                       | f32[B, 5]
            x: f32[B, 5]                                 | nn.selu(x)                                   | f32[B, 5]
            x: f32[B, 5]                                 | silu(x) + swish(x) + mish(x) + relu6(x)      | f32[B, 5]
            x: f32[B, 5]                                 | hard_tanh(x, lo=-2.0)                        | f32[B, 5]
            x: f32[B, 5]                                 | log_sigmoid(x)                               | f32[B, 5]
            # losses: overloads on the label type, reduction
            x: f32[B, 5]; y: i32[B]                      | cross_entropy(x, y)                          | f32
            x: f32[B, 5]; y: i64[B]                      | cross_entropy(x, y)                          | f32
            x: f32[B, 5]; y: f32[B, 5]                   | cross_entropy(x, y)                          | f32
            x: f32[B, 5]; y: i32[B]                      | cross_entropy(x, y, reduction="none")        | f32[B]
            x: f32[B, 5]; y: f32[B, 5]                   | cross_entropy(x, y, reduction="none")        | f32[B]
            x: f32[B, 5]; y: i32[B]                      | nn.cross_entropy(x, y, reduction="sum")      | f32
            x: f32[B, T, 5]; y: i32[B, T]                | cross_entropy(x, y, reduction="none")        | f32[B, T]
            x: f32[B, 5]; y: f32[B, 5]                   | mse(x, y)                                    | f32
            x: f32[B, 5]; y: f32[B, 5]                   | mse(x, y, reduction="sum")                   | f32
            x: f32[B, 5]; y: f32[B, 5]                   | mse(x, y, reduction="none")                  | f32[B, 5]
            x: f32[B, 5]; y: f32[B, 5]                   | mae(x, y)                                    | f32
            x: f32[B, 5]; y: f32[B, 5]                   | huber(x, y, delta=2.0)                       | f32
            x: f32[B, 5]; y: f32[B, 5]                   | binary_cross_entropy(x, y)                   | f32
            x: f32[B, 5]; y: f32[B, 5]                   | kl_div(log_softmax(x), y, reduction="none")  | f32[B, 5]
            """)
        void standardLibrary(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @Test
        void onlyQualifiedImportDoesNotExposeUnqualifiedNames() {
            assertEquals("f32[B, 5]", memberType(program("import std.nn\n", "x: f32[B, 3]; w: f32[3, 5]; b: f32[5]", "nn.dense(x, w, b)"), "output o"));
            assertFirstError(program("import std.nn\n", "x: f32[B, 3]; w: f32[3, 5]; b: f32[5]", "dense(x, w, b)"), "name-unknown");
            assertFirstError(program("", "x: f32[B, 5]; y: i32[B]", "cross_entropy(x, y)"), "name-unknown");
            assertEquals("f32", memberType(program("import std.losses.*\n", "x: f32[B, 5]; y: i32[B]", "cross_entropy(x, y)"), "output o"));
        }

        @Test
        void functionSignaturesAreInstantiatedInTheTypedText() {
            var c = compile(program(FNS, "v: f32[28]", "crop(v)"));
            assertFalse(c.hasErrors(), c::renderDiagnostics);
            String typed = c.typedText();
            assertTrue(typed.contains("fn crop(x: f32[N]) -> f32[N - 2]"), typed);
            assertTrue(typed.contains("fn half(x: f32[N]) -> f32[N]"), typed);
            assertTrue(typed.contains("fn pool(x: f32[N, H, W, C]) -> f32[N, H/2, W/2, C]"), typed);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B, 3]; w: f32[4, 5]; b: f32[5]      | dense(x, w, b)                  | call-argument-shape
            x: f32[B, 3]                               | nn.dense(x, x, x)               | call-argument-shape
            x: f32[B, 3]; w: i32[3, 5]; b: f32[5]      | dense(x, w, b)                  | call-argument-type
            x: f32[B, 5]; y: f32[B, 4]                 | mse(x, y)                       | call-argument-shape
            x: f32[B, 5]; y: f32[B, 5, 1]              | mse(x, y)                       | call-argument-shape
            x: f32[B, 3]; w: f32[3, 5]                 | dense(x, w)                     | call-missing-argument
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]      | dense(x, w, b, b)               | call-too-many-arguments
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]      | dense(x, w, b, foo=1)           | call-unknown-argument
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]      | dense(x, w, b=b, b=b)           | call-duplicate-argument
            x: f32[B, 3]; w: f32[3, 5]; b: f32[5]      | dense(x=x, w, b)                | call-positional-after-named
            x: f32[B, 5]; y: f32[B]                    | cross_entropy(x, y)             | call-no-overload
            x: f32[B, 5]; y: bool[B]                   | cross_entropy(x, y)             | call-no-overload
            x: f32[B, 5]; y: f32[B, 5]                 | mse(x, y, reduction="bogus")    | value-choice
            x: f32[B, 5]                               | sum(x, foo=1)                   | call-unknown-argument
            x: f32[B, 5]                               | sum()                           | call-missing-argument
            x: f32[B, 5]                               | relu(x, x)                      | call-too-many-arguments
            x: f32[B, 5]                               | foo(x)                          | name-unknown
            x: f32[B, 5]                               | nn.foo(x)                       | name-unknown
            """)
        void rejectedCalls(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }

        @Test
        void functionRuleViolations() {
            assertFirstError("fn bad(x: f32[N]) -> f32[N + 1] = x\n", "type-return");
            assertFirstError("fn rec(x: f32[N]) -> f32[N] = rec(x)\n", "fn-recursion");
            assertFirstError("fn a(x: f32[N]) -> f32[N] = b(x)\nfn b(x: f32[N]) -> f32[N] = a(x)\n", "fn-recursion");
            assertFirstError("fn f(x: f32[N]) -> f32[N] {\n  let y = x\n}\n", "fn-no-return");
            assertFirstError("fn f(x: f32[N]) -> f32[N] {\n  return x\n  return x\n}\n", "fn-unreachable");
            assertFirstError("fn f(x: f32[N], x: f32[N]) -> f32[N] = x\n", "name-duplicate");
            assertFirstError("fn f(x: f32[N], s: f32 = \"a\") -> f32[N] = x\n", "type-default");
            assertFirstError("fn f(x: f32[n]) -> f32[n] = x\n", "dim-variable-case");
            assertFirstError("fn f(x: f32[N]) -> f32[M] = x\n", "dim-unknown");
            assertFirstError("fn f(x: f32[N / M]) -> f32[N] = x\n", "dim-division");
            assertFirstError("fn f(x: f32[*S, *T]) -> f32[*S] = x\n", "type-pack");
            assertFirstError("fn f(x: q32[N]) -> f32[N] = x\n", "type-unknown");
        }
    }

    // ---- dimension expressions in model types ----------------------------------------------------------

    @Nested
    class Dimensions {
        @ParameterizedTest(name = "{1} with {0} : {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[(B*2)/2, 3]             | x                 | f32[B, 3]
            x: f32[B + 1 - 1]              | x                 | f32[B]
            x: f32[2 * (B + 1)]            | x                 | f32[2*B + 2]
            x: f32[(W - 2) / 2 + 1]        | x                 | f32[W/2]
            x: f32[B * B]                  | x                 | f32[B*B]
            x: f32[1000000]                | x + 1             | f32[1000000]
            x: f32[1000000000000]          | sum(x)            | f32
            x: f32[1_000]                  | x                 | f32[1000]
            """)
        void typed(String inputs, String expr, String expected) {
            assertType(inputs, expr, expected);
        }

        @ParameterizedTest(name = "{1} with {0} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
            x: f32[B/0]                                        | x                | dim-division
            x: f32[B/B]                                        | x                | dim-division
            x: f32[b]                                          | x                | dim-variable-case
            x: f32[*S]                                         | x                | type-pack
            x: f32[B * 9223372036854775807 * 2]                | x                | dim-overflow
            x: f32[1000000000000, 1000000000000, 1000000000000] | flatten(x)      | dim-overflow
            x: f32[10]                                         | x + 1e999        | literal-range
            x: f32[10]                                         | x * 9223372036854775808 | literal-range
            """)
        void rejected(String inputs, String expr, String code) {
            assertError(inputs, expr, code);
        }

        @ParameterizedTest(name = "input x: {0}")
        @ValueSource(strings = {"f32[-3]", "f32[0 - 3]", "f32[B, 2 - 5]", "f32[0]", "f32[B, 0]"})
        void nonPositiveInputDimensionIsRejected(String type) {
            assertFirstError(program(PRELUDE, "x: " + type, "x"), "model-input-shape");
        }

        @Test
        void outOfRangeLiteralInADimension() {
            var codes = errorCodes(program(PRELUDE, "x: f32[99999999999999999999999]", "x"));
            assertTrue(codes.contains("literal-range"), codes::toString);
        }

        @Test
        void outOfRangeLiteralInADimensionIsReportedOnce() {
            assertEquals(List.of("literal-range"), errorCodes(program(PRELUDE, "x: f32[99999999999999999999999]", "x")));
        }

        @Test
        void paramShapes() {
            assertFirstError(PRELUDE + "model M {\n  input x: f32[B]\n  param w: f32[B, 3] = zeros()\n}\n", "model-param-shape");
            assertFirstError(PRELUDE + "model M {\n  param w: f32[0, 3] = zeros()\n}\n", "model-param-shape");
            assertFirstError(PRELUDE + "model M {\n  param w: i32[3] = zeros()\n}\n", "model-param-type");
            assertFirstError(PRELUDE + "model M {\n  param w: f32[3]\n}\n", "model-param-init");
            assertFirstError(PRELUDE + "model M {\n  input x: f32[3]\n  param w: f32[3] = x\n}\n", "model-param-init");
        }
    }

    // ---- initialisers and optimisers ------------------------------------------------------------------

    @Nested
    class InitialisersAndOptimisers {
        static String withInit(String init) {
            return PRELUDE + "model M {\n  input x: f32[B, 3]\n  param w: f32[3, 2] = " + init + "\n  output o = x @ w\n}\n";
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
            zeros()                               | zeros()
            ones()                                | ones()
            constant(0.5)                         | constant(value=0.5)
            normal(mean=0.0, std=0.1)             | normal(mean=0.0, std=0.1)
            normal()                              | normal(mean=0.0, std=1.0)
            uniform(lo=-1, hi=1)                  | uniform(lo=-1.0, hi=1.0)
            he_normal()                           | he_normal()
            he_uniform()                          | he_uniform()
            glorot_normal()                       | glorot_normal()
            glorot_uniform()                      | glorot_uniform()
            lecun_normal()                        | variance_scaling(scale=1.0, mode="fan_in", distribution="normal")
            """)
        void initialisers(String init, String printed) {
            assertEquals("f32[3, 2] = " + printed, memberType(withInit(init), "param w"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            uniform(lo=1, hi=0)                   | value-range
            normal(std=-1)                        | value-range
            zeros(1)                              | call-too-many-arguments
            he_normal                             | name-function-value
            relu(x)                               | model-param-init
            constant(x)                           | static-required
            variance_scaling(mode="bad")          | value-choice
            """)
        void badInitialisers(String init, String code) {
            assertFirstError(withInit(init), code);
        }

        static String withOptimizer(String fns, String opt) {
            return PRELUDE + fns + "model M {\n  input x: f32[B, 3]\n  input y: f32[B, 2]\n  param w: f32[3, 2] = he_normal()\n"
                    + "  output o = x @ w\n  loss = mse(o, y)\n  train {\n    optimizer = " + opt + "\n    batch = 16\n  }\n}\n";
        }

        static String trainLine(String fns, String opt) {
            var c = compile(withOptimizer(fns, opt));
            if (c.hasErrors()) fail(c.renderDiagnostics());
            return Arrays.stream(c.typedText().split("\n")).filter(l -> l.startsWith("  train:")).findFirst().orElseThrow();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
            sgd(lr=0.1)                                   | optimizer=sgd(lr=0.1, momentum=0.0, nesterov=false, weight_decay=0.0) state=(buf)
            sgd(lr=0.1, momentum=0.9, nesterov=true)      | optimizer=sgd(lr=0.1, momentum=0.9, nesterov=true, weight_decay=0.0) state=(buf)
            adam()                                        | optimizer=adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0e-8, weight_decay=0.0) state=(m, v)
            adam(lr=1e-3)                                 | optimizer=adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0e-8, weight_decay=0.0) state=(m, v)
            adamw(weight_decay=0.1)                       | optimizer=adamw(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0e-8, weight_decay=0.1) state=(m, v)
            rmsprop(lr=0.01)                              | optimizer=rmsprop(lr=0.01, rho=0.9, eps=1.0e-8, momentum=0.0) state=(sq, buf)
            adagrad()                                     | optimizer=adagrad(lr=0.01, eps=1.0e-10) state=(acc)
            """)
        void standardOptimisers(String opt, String expected) {
            assertTrue(trainLine("", opt).endsWith(expected), () -> trainLine("", opt));
        }

        static final String USER_OPTIMISERS = """
                fn mymom(w: f32[*S], g: f32[*S], t: f32, v: f32[*S], lr: f32, beta: f32 = 0.9) -> (f32[*S], f32[*S]) {
                  let v2 = beta * v + g
                  return (w - lr * v2, v2)
                }
                fn plain(w: f32[*S], g: f32[*S], t: f32, lr: f32 = 0.1) = (w - lr * g,)
                """;

        @Test
        void userOptimisers() {
            assertTrue(trainLine(USER_OPTIMISERS, "mymom(lr=0.1)").endsWith("optimizer=mymom(lr=0.1, beta=0.9) state=(v)"));
            assertTrue(trainLine(USER_OPTIMISERS, "plain()").endsWith("optimizer=plain(lr=0.1)"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            sgd()               | call-missing-argument
            mymom()             | call-missing-argument
            sgd(0.1)            | call-missing-argument
            adam(lr=x)          | static-required
            foo()               | name-unknown
            adam                | train-optimizer
            mse(lr=1)           | train-optimizer
            """)
        void badOptimisers(String opt, String code) {
            assertFirstError(withOptimizer(USER_OPTIMISERS, opt), code);
        }
    }

    // ---- model members -----------------------------------------------------------------------------------

    @Nested
    class Models {
        @Test
        void memberTypes() {
            String ok = PRELUDE + """
                    model M {
                      input x: f32[B, 784]
                      input y: i32[B]
                      param w1: f32[784, 256] = he_normal()
                      param b1: f32[256] = zeros()
                      let h = relu(x @ w1 + b1)
                      output logits = h @ w1.T
                      loss = cross_entropy(h, y)
                      metric accuracy = mean(cast(argmax(h, axis=-1) == y, f32))
                    }
                    """;
            assertEquals("f32[B, 256]", memberType(ok, "let h"));
            assertEquals("f32[B, 784]", memberType(ok, "output logits"));
            assertEquals("f32", memberType(ok, "loss"));
            assertEquals("f32", memberType(ok, "metric accuracy"));
            assertEquals("f32[784, 256] = he_normal()", memberType(ok, "param w1"));
        }

        @Test
        void memberRuleViolations() {
            assertFirstError(PRELUDE + "model M {\n  input x: f32[B, 3]\n  loss = sum(x, axis=0)\n}\n", "model-loss-scalar");
            assertFirstError(PRELUDE + "model M {\n  input x: f32[B, 3]\n  metric m = x\n}\n", "model-metric-scalar");
            assertFirstError(PRELUDE + "model M {\n  input x: (f32[3], f32[3])\n}\n", "model-input-type");
            assertFirstError(PRELUDE + "model M {\n  input x: f32[3]\n  input x: f32[3]\n}\n", "name-duplicate");
            assertFirstError(PRELUDE + "model M {\n  input x: f32[3]\n  loss = sum(x)\n  loss = sum(x)\n}\n", "model-duplicate-loss");
            assertFirstError(PRELUDE + "model M {\n  input x: f32[3]\n  output o = x\n  train {\n    optimizer = adam()\n  }\n}\n", "train-no-loss");
        }
    }
}
