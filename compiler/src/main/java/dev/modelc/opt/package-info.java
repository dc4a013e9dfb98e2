/**
 * Simplification of the Graph IR: {@link dev.modelc.opt.DeadCodeElimination},
 * {@link dev.modelc.opt.CommonSubexpressions}, {@link dev.modelc.opt.ConstantFolding} and
 * {@link dev.modelc.opt.AlgebraicSimplification}, run to a fixed point by
 * {@link dev.modelc.opt.Simplifier}. Each is a {@link dev.modelc.opt.Pass}: a pure function from
 * graph to graph, whose output is renumbered densely and keeps each surviving node's origin.
 *
 * <h2>The numerical contract</h2>
 * A simplified graph computes, under the reference interpreter, the same bits as the graph it came
 * from: infinities, NaN (not its payload) and the sign of zero included. The interpreter's rules
 * that this relies on: f32 values are computed in double and rounded to float after each op; a
 * sum starts from +0.0 (so a sum of -0.0 is +0.0), a max from -inf, a min from +inf, a product
 * from 1; integers wrap and divide with floor rounding. Hence no {@code x*0 -> 0} nor
 * {@code x-x -> 0}, and {@code x + 0.0 -> x} only where x is proved never to be -0.0.
 *
 * <p>One documented exception, as requested for autodiff's "sum to undo a broadcast": a
 * {@code reduce_sum} over axes a broadcast made becomes a multiplication by the number of copies
 * (see {@code ShapeRules}), which is exact in real arithmetic and in many but not
 * all floating-point cases.
 */
package dev.modelc.opt;
