package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.runtime.CounterRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs kernel bodies for {@link LoopEvaluator}: statements in order, expressions to lane arrays
 * (see {@link Lanes}). Locals are lexically scoped: a loop counter lives in its loop, a declared
 * local until the end of its block, and leaving either restores what the name meant outside.
 */
final class KernelInterpreter {
    private final LoopProgram program;
    private final Object[] arrays;
    private final int[] sizes;
    private final Map<String, Long> dims;
    private final Map<String, Object> locals = new HashMap<>();

    KernelInterpreter(LoopProgram program, Object[] arrays, int[] sizes, Map<String, Long> dims) {
        this.program = program;
        this.arrays = arrays;
        this.sizes = sizes;
        this.dims = dims;
    }

    void run(LoopProgram.Kernel k) {
        locals.clear();
        exec(k.body());
    }

    private void exec(Stmt s) {
        switch (s) {
            case Stmt.Barrier x -> throw gpuOnly("barrier");
            case Stmt.MmaTf32 m -> throw gpuOnly("mma_tf32");
            case Stmt.Block b -> block(b);
            case Stmt.Loop l -> loop(l);
            case Stmt.Declare d -> locals.put(d.var(), eval(d.init()));
            case Stmt.Assign a -> {
                if (!locals.containsKey(a.var())) throw new IllegalStateException("assignment to undeclared " + a.var());
                locals.put(a.var(), eval(a.value()));
            }
            case Stmt.Store st -> {
                requireType(st.buffer(), st.value().type());
                store(st.buffer(), index(st.index()), eval(st.value()));
            }
            case Stmt.If i -> exec(bool(i.cond()) ? i.then() : i.otherwise());
        }
    }

    private void block(Stmt.Block b) {
        List<String> declared = new ArrayList<>();
        Map<String, Object> shadowed = new HashMap<>();
        for (Stmt s : b.body()) {
            if (s instanceof Stmt.Declare d && !declared.contains(d.var())) {
                declared.add(d.var());
                if (locals.containsKey(d.var())) shadowed.put(d.var(), locals.get(d.var()));
            }
            exec(s);
        }
        for (String v : declared) restore(v, shadowed);
    }

    private void loop(Stmt.Loop l) {
        if (l.step() <= 0) throw new IllegalArgumentException("loop " + l.var() + " has step " + l.step());
        long lo = index(l.lo()), hi = index(l.hi());
        Map<String, Object> shadowed = new HashMap<>();
        if (locals.containsKey(l.var())) shadowed.put(l.var(), locals.get(l.var()));
        for (long i = lo; i < hi; i += l.step()) {
            locals.put(l.var(), new long[] {i});
            exec(l.body());
        }
        restore(l.var(), shadowed);
    }

    private void restore(String var, Map<String, Object> shadowed) {
        if (shadowed.containsKey(var)) locals.put(var, shadowed.get(var));
        else locals.remove(var);
    }

    private long index(Expr e) { return ((long[]) eval(e))[0]; }

    private boolean bool(Expr e) {
        boolean[] c = (boolean[]) eval(e);
        if (c.length != 1) throw new IllegalArgumentException("an if needs a scalar condition, got " + e.type());
        return c[0];
    }

    private static UnsupportedOperationException gpuOnly(String what) {
        return new UnsupportedOperationException(what + " is GPU-only Loop IR: the evaluator runs CPU kernels");
    }

    Object eval(Expr e) {
        return switch (e) {
            case Expr.GpuIndex g -> throw gpuOnly(g.toString());
            case Expr.ShuffleDown d -> throw gpuOnly("shfl_down");
            case Expr.Index i -> new long[] {i.value()};
            case Expr.Const c -> constant(c);
            case Expr.Var v -> {
                Object x = locals.get(v.name());
                if (x == null) throw new IllegalStateException("undefined local " + v.name());
                yield x;
            }
            case Expr.Dim d -> {
                Long n = dims.get(d.name());
                if (n == null) throw new IllegalArgumentException("dimension " + d.name() + " is not bound");
                yield new long[] {n};
            }
            case Expr.Load l -> {
                requireType(l.buffer(), l.type());
                yield load(l.buffer(), index(l.index()), l.type().lanes());
            }
            case Expr.Unary u -> Lanes.unary(u.fn(), eval(u.a()), u.type());
            case Expr.Binary b -> Lanes.binary(b.fn(), eval(b.a()), eval(b.b()), b.a().type().dtype());
            case Expr.Select s -> Lanes.select((boolean[]) eval(s.cond()), eval(s.a()), eval(s.b()));
            case Expr.Cast c -> Lanes.cast(eval(c.a()), c.type().dtype());
            case Expr.Splat s -> Lanes.splat(eval(s.scalar()), s.lanes());
            case Expr.Fma f -> Lanes.fma(eval(f.a()), eval(f.b()), eval(f.c()), f.type().dtype());
            case Expr.ReduceLanes r -> Lanes.reduce(r.fn(), eval(r.vector()), r.vector().type().dtype());
            case Expr.Call c -> call(c);
        };
    }

    private static Object constant(Expr.Const c) {
        double v = c.value();
        return switch (c.dtype().kind) {
            case FLOAT -> new double[] {Lanes.round(v, c.dtype())};
            case INT -> new long[] {Lanes.wrap((long) v, c.dtype())};
            case BOOL -> new boolean[] {v != 0};
        };
    }

    private Object call(Expr.Call c) {
        switch (c.fn()) {
            case RANDOM_UNIFORM -> {
                if (c.args().size() != 3 || c.type().lanes() != 1) {
                    throw new IllegalArgumentException("random_uniform takes (key, stream, index) and gives a scalar");
                }
                long key = index(c.args().get(0)), stream = index(c.args().get(1)), i = index(c.args().get(2));
                return new double[] {c.type().dtype() == DType.F32
                        ? CounterRandom.uniformFloat(key, stream, i) : CounterRandom.uniformDouble(key, stream, i)};
            }
        }
        throw new AssertionError(c.fn());
    }

    private Object load(int buffer, long at, int lanes) {
        check(buffer, at, lanes);
        int i = (int) at;
        return switch (arrays[buffer]) {
            case double[] d -> java.util.Arrays.copyOfRange(d, i, i + lanes);
            case long[] l -> java.util.Arrays.copyOfRange(l, i, i + lanes);
            case boolean[] b -> java.util.Arrays.copyOfRange(b, i, i + lanes);
            default -> throw new IllegalStateException("no storage for buffer " + buffer);
        };
    }

    private void store(int buffer, long at, Object value) {
        int lanes = Lanes.count(value);
        check(buffer, at, lanes);
        System.arraycopy(value, 0, arrays[buffer], (int) at, lanes);
    }

    /** A buffer is read and written only as its own dtype: an f32 buffer's lanes must stay floats. */
    private void requireType(int buffer, LType t) {
        var b = program.buffer(buffer);
        if (t.dtype() != b.dtype()) throw new IllegalArgumentException("buffer " + b.name() + " is " + b.dtype() + ", accessed as " + t);
    }

    private void check(int buffer, long at, int lanes) {
        if (at < 0 || at + lanes > sizes[buffer]) {
            var b = program.buffer(buffer);
            throw new IndexOutOfBoundsException("elements " + at + ".." + (at + lanes - 1) + " of buffer " + b.name()
                    + " which has " + sizes[buffer]);
        }
    }
}
