package dev.modelc.opt;

import dev.modelc.graph.Graph;

/**
 * Algebraic identities: the elementwise ones of {@link ArithmeticRules} and the shape and
 * reduction ones of {@link ShapeRules}. Values the rewrites leave unused stay for
 * {@link DeadCodeElimination}.
 */
public final class AlgebraicSimplification implements Pass {
    @Override
    public String name() { return "algebra"; }

    @Override
    public Graph apply(Graph g) {
        return Rewriter.run(g, (n, r) -> {
            int id = ArithmeticRules.rewrite(n, r);
            return id != Rewriter.KEEP ? id : ShapeRules.rewrite(n, r);
        });
    }
}
