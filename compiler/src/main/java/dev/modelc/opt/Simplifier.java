package dev.modelc.opt;

import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.Verifier;
import java.util.List;

/**
 * The simplification pipeline: each pass in turn, repeated until a round changes nothing (one
 * pass's output is often the next one's opportunity: folding makes fills that the algebraic rules
 * match, rewrites make duplicates for CSE and leave dead nodes for DCE), or until a bounded number
 * of rounds. Every pass's output is verified, so a bad rewrite fails here, naming the pass.
 */
public final class Simplifier implements Pass {
    private final List<Pass> passes;
    private final int maxRounds;

    public Simplifier(List<Pass> passes, int maxRounds) {
        if (maxRounds < 1) throw new IllegalArgumentException("maxRounds must be at least 1");
        this.passes = List.copyOf(passes);
        this.maxRounds = maxRounds;
    }

    /** CSE, constant folding, algebraic rules, DCE; at most 16 rounds. */
    public static Simplifier standard() {
        return new Simplifier(List.of(new CommonSubexpressions(), new ConstantFolding(), new AlgebraicSimplification(),
                new DeadCodeElimination()), 16);
    }

    public List<Pass> passes() { return passes; }

    @Override
    public String name() { return "simplify"; }

    @Override
    public Graph apply(Graph g) {
        Graph current = Renumber.dense(g);
        for (int round = 0; round < maxRounds; round++) {
            Graph next = round(current);
            if (next.equals(current)) return next;
            current = next;
        }
        return current;
    }

    public GraphModule apply(GraphModule m) {
        return new GraphModule(m.model(), m.entries().stream().map(this::apply).toList());
    }

    private Graph round(Graph g) {
        for (var p : passes) {
            g = p.apply(g);
            var problems = Verifier.problems(g);
            if (!problems.isEmpty()) throw new IllegalStateException("pass " + p.name() + " broke " + g.name() + ":\n  " + String.join("\n  ", problems));
        }
        return g;
    }
}
