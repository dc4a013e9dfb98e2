package dev.modelc.loops;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A statement list under construction, for kernels written out by hand ({@link ConvKernels},
 * {@link ConvGradKernels}). Index arithmetic is hoisted into named locals where it is computed
 * once (so an inner loop adds an offset rather than recomputing a row base), and a loop whose
 * constant bounds show it runs once is written as its body alone, or left out when it never runs:
 * with one input channel, say, the channel loop and its index arithmetic vanish.
 */
final class LoopBuilder {
    private final KernelContext cx;
    private final List<Stmt> body = new ArrayList<>();

    LoopBuilder(KernelContext cx) { this.cx = cx; }

    /** {@code value} held in a new local, or {@code value} itself when it is a constant or a variable already. */
    Expr let(String prefix, Expr value) {
        if (value instanceof Expr.Index || value instanceof Expr.Var) return value;
        return declare(prefix, value);
    }

    /** A new local with first value {@code init}, e.g. an accumulator. */
    Expr.Var declare(String prefix, Expr init) {
        String name = cx.fresh(prefix);
        body.add(new Stmt.Declare(name, init.type(), init));
        return new Expr.Var(name, init.type());
    }

    void assign(Expr.Var v, Expr value) { body.add(new Stmt.Assign(v.name(), value)); }

    void store(int buffer, Expr index, Expr value) { body.add(new Stmt.Store(buffer, index, value)); }

    void add(Stmt s) { body.add(s); }

    /** {@code for v in [lo, hi) step step: body(v)}, serial. */
    void loop(String prefix, Expr lo, Expr hi, long step, BiConsumer<LoopBuilder, Expr> body) {
        loop(prefix, lo, hi, step, Stmt.Schedule.SERIAL, body);
    }

    /** A loop; with constant bounds, nothing when it never runs and its body with {@code v = lo} when it runs once. */
    void loop(String prefix, Expr lo, Expr hi, long step, Stmt.Schedule schedule, BiConsumer<LoopBuilder, Expr> body) {
        if (lo instanceof Expr.Index l && hi instanceof Expr.Index h) {
            if (h.value() <= l.value()) return;
            if (h.value() - l.value() <= step && schedule == Stmt.Schedule.SERIAL) {
                var inner = new LoopBuilder(cx);
                body.accept(inner, lo);
                add(inner.build());
                return;
            }
        }
        String v = cx.fresh(prefix);
        var inner = new LoopBuilder(cx);
        body.accept(inner, new Expr.Var(v, LType.INDEX));
        add(new Stmt.Loop(v, lo, hi, step, schedule, inner.build()));
    }

    /** {@code if (cond) then}; no test when {@code cond} is null. */
    void when(Expr cond, Consumer<LoopBuilder> then) {
        var inner = new LoopBuilder(cx);
        then.accept(inner);
        add(cond == null ? inner.build() : new Stmt.If(cond, inner.build(), new Stmt.Block(List.of())));
    }

    Stmt build() { return new Stmt.Block(body); }
}
