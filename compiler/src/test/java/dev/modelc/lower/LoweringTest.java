package dev.modelc.lower;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.Frontend;
import dev.modelc.graph.GraphParser;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Op;
import dev.modelc.graph.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class LoweringTest {

    private static dev.modelc.Compilation compile(String text) {
        return Frontend.create().compileString("t.model", text).lower();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleLowersToVerifiedGraphsThatPrintAndParseBack() throws Exception {
        try (var files = Files.list(Path.of("../examples"))) {
            return files.filter(p -> p.toString().endsWith(".model")).sorted().toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                        var c = Frontend.create().compile(p).lower();
                        assertFalse(c.hasErrors(), c.renderDiagnostics());
                        var m = c.graph(null).orElseThrow();
                        Verifier.verify(m);
                        assertTrue(m.entryNames().contains(Lowering.TRAIN_STEP), m.entryNames().toString());
                        assertEquals(m, GraphParser.parseModule(GraphPrinter.print(m)));
                    }));
        }
    }

    @Test
    void anEntryKeepsOnlyTheInputsItNeeds() {
        var c = compile("""
                model M {
                  input x: f32[B, 3]
                  input y: f32[B, 1]
                  param w: f32[3, 1] = zeros()
                  output pred = x @ w
                  loss = mean(square(pred - y))
                }
                """);
        assertFalse(c.hasErrors(), c.renderDiagnostics());
        var pred = c.graph(null).orElseThrow().entry("pred").orElseThrow();
        assertEquals(2, pred.inputs().size(), GraphPrinter.print(pred));
        assertTrue(pred.inputs().stream().noneMatch(n -> ((Op.Input) n.op()).name().equals("y")));
    }

    @Test
    void defaultAxesAndLiteralsLowerAsWritten() {
        var c = compile("""
                model M {
                  input x: f64[2, 3]
                  output s = softmax(x)
                  output t = log_softmax(x)
                  output k = x * 0.1
                  output l = leaky_relu(x, 0.2)
                  output h = 2 ** -1 * x
                }
                """);
        assertFalse(c.hasErrors(), c.renderDiagnostics());
        String text = GraphPrinter.print(c.graph(null).orElseThrow());
        // softmax's axis defaults to -1, not to every axis
        assertTrue(text.contains("softmax[axes=[1]](%0)") && text.contains("log_softmax[axes=[1]](%0)"), text);
        // a weak float literal meeting f64 keeps its exact value instead of going through f32
        assertTrue(text.contains("constant[value=0.1] : f64[]") && text.contains("constant[value=0.2] : f64[]"), text);
        assertFalse(text.contains("0.10000000149") || text.contains("0.20000000298"), text);
        assertTrue(text.contains("constant[value=0.5] : f64[]"), text);
    }

    @Test
    void gradOfGradLowers() {
        var c = compile("""
                model M {
                  param w: f32[3] = ones()
                  let g = grad(sum(tanh(w) * w), w)
                  output h = grad(sum(g * g), w)
                }
                """);
        assertFalse(c.hasErrors(), c.renderDiagnostics());
        var h = c.graph(null).orElseThrow().entry("h").orElseThrow();
        Verifier.verify(h);
        assertTrue(GraphPrinter.print(h).contains("tanh"));
    }

    @Test
    void differentiatingThroughArgmaxIsAnErrorAtTheOp() {
        var c = compile("""
                model M {
                  input x: f32[B, 3]
                  param w: f32[3, 3] = ones()
                  loss = mean(cast(argmax(x @ w, axis=-1), f32))
                  output g = grad(loss, w)
                }
                """);
        assertTrue(c.hasErrors());
        var d = c.diagnostics().stream().filter(x -> x.code().equals("grad-not-differentiable")).findFirst().orElseThrow();
        assertTrue(d.message().contains("'argmax'"), d.message());
        assertEquals(4, d.span().line());
    }

    @Test
    void aConstantPathThroughArgmaxIsFine() {
        var c = compile("""
                model M {
                  input x: f32[B, 3]
                  param w: f32[3] = ones()
                  loss = mean(cast(argmax(x, axis=-1), f32) * sum(w))
                  output g = grad(loss, w)
                }
                """);
        assertFalse(c.hasErrors(), c.renderDiagnostics());
    }
}
