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

    static Block block(List<Stmt> body) { return new Block(body); }
}
