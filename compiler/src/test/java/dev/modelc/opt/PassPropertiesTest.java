package dev.modelc.opt;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.diag.Source;
import dev.modelc.diag.Span;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.GraphParser;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Op.*;
import dev.modelc.graph.TensorType;
import dev.modelc.graph.Verifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** What every pass promises, checked on every golden input and on graphs built here. */
class PassPropertiesTest {
    private static final DimExpr B = DimExpr.var("B");

    /** Every pass on every golden input (not only its own folder): verified, dense, idempotent. */
    @TestFactory
    Stream<DynamicTest> everyPassOnEveryInput() throws IOException {
        var inputs = new ArrayList<Path>();
        for (var folder : PassGoldenTest.PASSES.keySet()) inputs.addAll(PassGoldenTest.cases(folder));
        return PassGoldenTest.PASSES.values().stream().flatMap(pass -> inputs.stream().map(file ->
                DynamicTest.dynamicTest(pass.name() + " on " + file.getParent().getFileName() + "/" + file.getFileName(), () -> {
                    Graph in = PassGoldenTest.input(file);
                    Graph once = pass.apply(in);
                    assertEquals(List.of(), Verifier.problems(once));
                    for (int i = 0; i < once.nodes().size(); i++) assertEquals(i, once.nodes().get(i).id(), "ids are dense");
                    assertEquals(in.results().stream().map(Graph.Result::name).toList(),
                            once.results().stream().map(Graph.Result::name).toList(), "results keep their names and order");
                    assertEquals(GraphPrinter.print(once), GraphPrinter.print(pass.apply(once)), "not idempotent");
                })));
    }

    @Test
    void dceKeepsResultOrderWhenNodesComeInAnotherOrder() {
        var g = GraphParser.parse("""
                entry e {
                  %0 = input[name="x"] : f32[2]
                  %1 = exp(%0) : f32[2]
                  %2 = sin(%0) : f32[2]
                  %3 = cos(%0) : f32[2]
                  return c = %3, a = %1, c2 = %3
                }
                """);
        var out = new DeadCodeElimination().apply(g);
        assertEquals(List.of("c", "a", "c2"), out.results().stream().map(Graph.Result::name).toList());
        assertEquals("cos", ((Unary) out.result("c").op()).fn().mnemonic());
        assertEquals("exp", ((Unary) out.result("a").op()).fn().mnemonic());
        assertEquals(3, out.nodes().size());
    }

    @Test
    void originsSurviveAndNewNodesTakeTheOriginOfWhatTheyReplace() {
        var source = new Source("t.model", "x".repeat(100));
        var g = new GraphBuilder();
        g.origin(span(source, 0));
        int x = g.input(Role.INPUT, "x", TensorType.of(DType.F32, B, DimExpr.constant(4)));
        g.origin(span(source, 1));
        int w = g.input(Role.PARAM, "w", TensorType.of(DType.F32, DimExpr.constant(4), DimExpr.constant(3)));
        g.origin(span(source, 2));
        int m = g.matmul(x, w);
        g.origin(span(source, 3));
        int one = g.constant(1, g.type(m));
        g.origin(span(source, 4));
        int y = g.binary(BinaryFn.MUL, m, one);
        g.origin(span(source, 5));
        int again = g.matmul(x, w);
        g.origin(span(source, 6));
        int sum = g.binary(BinaryFn.ADD, y, again);
        g.origin(span(source, 7));
        int wide = g.broadcast(sum, List.of(1, 2), List.of(DimExpr.constant(5), B, DimExpr.constant(3)));
        g.origin(span(source, 8));
        int total = g.reduce(ReduceFn.SUM, wide, List.of(0));
        var out = Simplifier.standard().apply(g.build("e", List.of(new Graph.Result("t", total))));

        for (var n : out.nodes()) assertNotNull(n.origin(), GraphPrinter.line(n));
        assertEquals(span(source, 2), only(out, MatMul.class).origin());
        assertEquals(span(source, 6), only(out, Binary.class, BinaryFn.ADD).origin(), "add(m, m) is the add, rewritten");
        assertEquals(span(source, 8), only(out, Binary.class, BinaryFn.MUL).origin(), "the sum of 5 copies became a mul");
        assertEquals(span(source, 8), only(out, Constant.class).origin());
    }

    private static Span span(Source s, int i) { return Span.of(s, i, i + 1); }

    private static Node only(Graph g, Class<? extends Op> kind) {
        var found = g.nodes().stream().filter(n -> kind.isInstance(n.op())).toList();
        assertEquals(1, found.size(), GraphPrinter.print(g));
        return found.getFirst();
    }

    private static Node only(Graph g, Class<? extends Op> kind, BinaryFn fn) {
        var found = g.nodes().stream().filter(n -> n.op() instanceof Binary(BinaryFn f) && f == fn).toList();
        assertEquals(1, found.size(), GraphPrinter.print(g));
        return found.getFirst();
    }

    /**
     * The decision on {@code x + 0}: -0.0 + 0.0 is +0.0 in IEEE arithmetic (and in Java), so
     * {@code x + 0.0 -> x} would turn a +0.0 result into -0.0. The rule fires for -0.0, the true
     * additive identity, always, and for +0.0 only where x is proved never to be -0.0.
     */
    @Test
    void addingZeroIsDroppedOnlyWhereExact() {
        assertEquals(0x0L, Double.doubleToRawLongBits(-0.0 + 0.0), "-0.0 + 0.0 is +0.0");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(-0.0 + -0.0), "-0.0 + -0.0 is -0.0");
        var t = TensorType.of(DType.F32, B);
        var g = new GraphBuilder();
        int x = g.input(Role.INPUT, "x", t);
        int plusZero = g.binary(BinaryFn.ADD, x, g.constant(0.0, t));
        int minusZero = g.binary(BinaryFn.ADD, x, g.constant(-0.0, t));
        int e = g.unary(UnaryFn.EXP, x);
        int expPlusZero = g.binary(BinaryFn.ADD, g.constant(0.0, t), e);
        var out = new AlgebraicSimplification().apply(g.build("e", List.of(
                new Graph.Result("plus_zero", plusZero), new Graph.Result("minus_zero", minusZero), new Graph.Result("exp", expPlusZero))));
        assertInstanceOf(Binary.class, out.result("plus_zero").op(), "x + 0.0 stays: x may be -0.0");
        assertInstanceOf(Input.class, out.result("minus_zero").op(), "x + (-0.0) is x");
        assertInstanceOf(Unary.class, out.result("exp").op(), "exp(x) + 0.0 is exp(x): exp is never -0.0");
    }

    @Test
    void simplifierNamesAPassThatBreaksTheGraph() {
        Pass broken = new Pass() {
            @Override
            public String name() { return "broken"; }

            @Override
            public Graph apply(Graph g) { return new Graph(g.name(), g.nodes(), List.of(new Graph.Result("y", 99))); }
        };
        var g = GraphParser.parse("entry e {\n  %0 = input[name=\"x\"] : f32[2]\n  return y = %0\n}");
        var e = assertThrows(IllegalStateException.class, () -> new Simplifier(List.of(broken), 3).apply(g));
        assertTrue(e.getMessage().contains("pass broken"), e.getMessage());
    }

    @Test
    void opCountsBeforeAndAfter() throws IOException {
        Graph in = PassGoldenTest.input(PassGoldenTest.ROOT.resolve("simplify/mlp_train_step.graph"));
        var before = OpCounts.of(in);
        var after = OpCounts.of(Simplifier.standard().apply(in));
        assertEquals(in.nodes().size(), before.total());
        assertEquals(4, before.count("matmul"));
        assertEquals(2, after.count("matmul"), "the recomputed forward matmul and the unused dx are gone");
        assertEquals(0, after.count("reshape"));
        String table = OpCounts.table(before, after);
        assertTrue(table.lines().anyMatch(l -> l.matches("matmul\\s+4\\s+2\\s+-2")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("total")), table);
    }
}
