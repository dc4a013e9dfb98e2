package dev.modelc.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.Frontend;
import org.junit.jupiter.api.Test;

/** Findings of a review of the checker against docs/language.md, pinned. */
class CallAndFoldingRegressionTest {

    private static String typed(String program) {
        var c = Frontend.create().compileString("t.model", program);
        assertFalse(c.hasErrors(), c.renderDiagnostics());
        return c.typedText();
    }

    @Test
    void calleeVariablesAreNotTheCallersOfTheSameName() {
        String t = typed("""
                fn tail(x: f32[N + 1]) -> f32[N] = x[1:]
                fn h(y: f32[N + 1]) -> f32[N] = tail(y)
                fn g(x: f32[B], y: f32[B + N]) = sum(y)
                model M {
                  input a: f32[N]
                  input b: f32[N + 3]
                  output o = g(a, b)
                }
                """);
        assertTrue(t.contains("output o: f32\n"), t);
    }

    @Test
    void emptySliceOfASymbolicAxisHasLengthZero() {
        String t = typed("model M {\n  input x: f32[B, 8]\n  output e = x[5:2]\n  output f = x[-1:-3]\n}\n");
        assertTrue(t.contains("output e: f32[0, 8]") && t.contains("output f: f32[0, 8]"), t);
    }

    @Test
    void concatPromotesWeakFloatsWhateverTheOrder() {
        String t = typed("""
                model M {
                  input y: i32[B]
                  input c: bool[B]
                  output k = concat((y, where(c, 1.5, 2.5)))
                  output l = concat((where(c, 1.5, 2.5), y))
                }
                """);
        assertTrue(t.contains("output k: f32[2*B]") && t.contains("output l: f32[2*B]"), t);
        var bad = Frontend.create().compileString("t.model",
                "model M {\n  input y: i32[B]\n  input z: f64[B]\n  output k = stack((y, z))\n}\n");
        assertTrue(bad.hasErrors(), "strong element types that differ must be an error");
    }

    @Test
    void integerPowersOfConstantsAreConstants() {
        String t = typed("model M {\n  input y: i32[B]\n  input x: f32[B, 4]\n  output k = one_hot(y, 2 ** 3)\n  output s = x[:, 2 ** 1]\n}\n");
        assertTrue(t.contains("output k: f32[B, 8]") && t.contains("output s: f32[B]"), t);
    }

    @Test
    void hyperparametersMustBeKnownAtCompileTime() {
        var c = Frontend.create().compileString("t.model", """
                import std.optim.*
                model M {
                  input x: f32[B, 4]
                  param w: f32[4] = zeros()
                  loss = mean(x @ w)
                  train { optimizer = sgd(lr=B) }
                }
                """);
        assertTrue(c.diagnostics().stream().anyMatch(d -> d.code().equals("static-required")), c.renderDiagnostics());
    }
}
