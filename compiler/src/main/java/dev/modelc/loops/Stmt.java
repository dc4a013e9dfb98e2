package dev.modelc.loops;

import java.util.List;

/** A Loop IR statement. */
public sealed interface Stmt {
    record Block(List<Stmt> body) implements Stmt {
        public Block { body = List.copyOf(body); }
    }

    /**
     * {@code for var in [lo, hi) step step}. A parallel loop's iterations are independent (each
     * writes its own elements), so a backend may split them across threads.
     *
     */
    record Loop(String var, Expr lo, Expr hi, long step, Schedule schedule, Stmt body) implements Stmt {}

    enum Schedule { SERIAL, PARALLEL }

    /** A mutable local with its first value. */
    record Declare(String var, LType type, Expr init) implements Stmt {}

    record Assign(String var, Expr value) implements Stmt {}

    /** Writes a scalar at {@code index}, or a vector's lanes at {@code index, index+1, …}. */
    record Store(int buffer, Expr index, Expr value) implements Stmt {}

    record If(Expr cond, Stmt then, Stmt otherwise) implements Stmt {}

    /**
     * GPU only: waits until every thread of the block has reached it ({@code __syncthreads}), and
     * makes their stores to shared buffers visible to each other. Every thread must reach it.
     */
    record Barrier() implements Stmt {}

    /**
     * GPU only, for every lane of a warp together: a 16x8x8 matrix multiply-accumulate on the
     * tensor cores, {@code D = A·B + C} with A 16x8 and B 8x8 rounded to TF32 (10 bits of
     * mantissa) and f32 sums. Each lane holds fragments as PTX's {@code mma.m16n8k8} lays them
     * out: with {@code g = lane / 4} and {@code q = lane % 4}, {@code a} is A[g][q], A[g+8][q],
     * A[g][q+4], A[g+8][q+4]; {@code b} is B[q][g], B[q+4][g]; {@code c} and the f32 locals
     * {@code d} are C (and D) [g][2q], [g][2q+1], [g+8][2q], [g+8][2q+1].
     */
    record MmaTf32(List<String> d, List<Expr> a, List<Expr> b, List<Expr> c) implements Stmt {
        public MmaTf32 {
            d = List.copyOf(d);
            a = List.copyOf(a);
            b = List.copyOf(b);
            c = List.copyOf(c);
            if (d.size() != 4 || a.size() != 4 || b.size() != 2 || c.size() != 4) throw new IllegalArgumentException("m16n8k8 fragments are 4, 2, 4 and 4 values");
        }
    }

    static Block block(List<Stmt> body) { return new Block(body); }
}
