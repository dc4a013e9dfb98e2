package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import java.util.List;

/**
 * A Loop IR expression. Element arithmetic has the Graph IR's semantics (f32 results rounded to
 * f32, integer division and modulo rounding toward negative infinity, comparisons giving bool);
 * on indices the same ops act on integers. Vector operands act lane by lane.
 */
public sealed interface Expr {
    LType type();

    /** An index constant. */
    record Index(long value) implements Expr {
        public LType type() { return LType.INDEX; }
    }

    /** A scalar constant of an element type (bools are 0 or 1, integers exact). */
    record Const(DType dtype, double value) implements Expr {
        public LType type() { return LType.scalar(dtype); }
    }

    /** A loop counter or a local declared by {@link Stmt.Declare}. */
    record Var(String name, LType type) implements Expr {}

    /** The run-time value of a dimension variable, e.g. the batch size. */
    record Dim(String name) implements Expr {
        public LType type() { return LType.INDEX; }
    }

    /** Element {@code index} of a buffer, or {@code lanes} consecutive elements from it as a vector. */
    record Load(int buffer, Expr index, LType type) implements Expr {}

    record Unary(UnaryFn fn, Expr a) implements Expr {
        public LType type() { return a.type(); }
    }

    /** Comparisons give bool (with the operands' lanes); the others the operands' type. */
    record Binary(BinaryFn fn, Expr a, Expr b, LType type) implements Expr {}

    record Select(Expr cond, Expr a, Expr b) implements Expr {
        public LType type() { return a.type(); }
    }

    /** Element type conversion, as the Graph IR's convert; also index to/from integer elements. */
    record Cast(Expr a, LType type) implements Expr {}

    /** A scalar copied into every lane. */
    record Splat(Expr scalar, int lanes) implements Expr {
        public LType type() { return scalar.type().withLanes(lanes); }
    }

    /** {@code a * b + c} with one rounding. */
    record Fma(Expr a, Expr b, Expr c) implements Expr {
        public LType type() { return c.type(); }
    }

    /** The sum (or max, min) of a vector's lanes, as a scalar. */
    record ReduceLanes(BinaryFn fn, Expr vector) implements Expr {
        public LType type() { return vector.type().withLanes(1); }
    }

    /** A runtime function that has no Graph IR op of its own. */
    record Call(Intrinsic fn, List<Expr> args, LType type) implements Expr {
        public Call { args = List.copyOf(args); }
    }

    /**
     * GPU only (kernels with a {@link LoopProgram.BlockLaunch}): this thread's index in its block,
     * or its block's index along an axis of the launch's blocks.
     */
    record GpuIndex(GpuAxis axis) implements Expr {
        public LType type() { return LType.INDEX; }
    }

    enum GpuAxis { THREAD, BLOCK_X, BLOCK_Y, BLOCK_Z }

    /**
     * GPU only: {@code value} as the thread {@code delta} lanes further along this one's warp of
     * 32 has it ({@code __shfl_down_sync} over the full warp), or this thread's own value where
     * that lane is beyond the warp. Every thread of the warp must evaluate it together.
     */
    record ShuffleDown(Expr value, int delta) implements Expr {
        public LType type() { return value.type(); }
    }

    enum Intrinsic {
        /** {@code (key i64, stream idx, index idx) -> f32/f64}: runtime CounterRandom's uniform in [0, 1). */
        RANDOM_UNIFORM
    }
}
