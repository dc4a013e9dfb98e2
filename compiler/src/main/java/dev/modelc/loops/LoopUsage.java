package dev.modelc.loops;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a piece of Loop IR touches, for the parameter lists of generated functions (backends
 * outline parallel loop bodies with it): the buffers it loads or stores, the dimension variables
 * it reads, and the locals it reads (or assigns) from outside itself. Also a rough estimate of
 * its work, to decide whether a parallel loop is worth splitting.
 */
public final class LoopUsage {
    /** The trip count assumed for a loop whose bounds are not constants. */
    public static final long UNKNOWN_TRIPS = 64;

    /**
     * The work of one lane of a library function (exp, log, tanh, erf, pow...) relative to an
     * ordinary operation: about 5 ns against 0.08 (a vector operation on this project's
     * reference machine, per node of a vectorised elementwise loop).
     */
    public static final long LIBRARY_CALL = 60;

    public final SortedSet<Integer> buffers = new TreeSet<>();
    public final Set<String> dims = new HashSet<>();
    /** Locals read but not declared inside, in order of first use. */
    public final Set<String> free = new LinkedHashSet<>();
    /** Of those, the ones assigned inside. */
    public final Set<String> assignedFree = new LinkedHashSet<>();

    public static LoopUsage of(Stmt s) {
        var u = new LoopUsage();
        u.stmt(s, new HashSet<>());
        return u;
    }

    /** The body of a loop, with its counter bound; the bounds themselves are evaluated outside. */
    public static LoopUsage ofLoopBody(Stmt.Loop l) {
        var u = new LoopUsage();
        var bound = new HashSet<String>();
        bound.add(l.var());
        u.stmt(l.body(), bound);
        return u;
    }

    private void stmt(Stmt s, Set<String> bound) {
        switch (s) {
            case Stmt.Block b -> {
                var inner = new HashSet<>(bound);
                for (Stmt x : b.body()) stmt(x, inner);
            }
            case Stmt.Loop l -> {
                expr(l.lo(), bound);
                expr(l.hi(), bound);
                var inner = new HashSet<>(bound);
                inner.add(l.var());
                stmt(l.body(), inner);
            }
            case Stmt.Declare d -> {
                expr(d.init(), bound);
                bound.add(d.var());
            }
            case Stmt.Assign a -> {
                expr(a.value(), bound);
                if (!bound.contains(a.var())) {
                    free.add(a.var());
                    assignedFree.add(a.var());
                }
            }
            case Stmt.Store st -> {
                buffers.add(st.buffer());
                expr(st.index(), bound);
                expr(st.value(), bound);
            }
            case Stmt.If i -> {
                expr(i.cond(), bound);
                stmt(i.then(), new HashSet<>(bound));
                stmt(i.otherwise(), new HashSet<>(bound));
            }
            case Stmt.Barrier x -> {}
            case Stmt.MmaTf32 m -> {
                for (var e : m.a()) expr(e, bound);
                for (var e : m.b()) expr(e, bound);
                for (var e : m.c()) expr(e, bound);
                for (String v : m.d()) {
                    if (!bound.contains(v)) {
                        free.add(v);
                        assignedFree.add(v);
                    }
                }
            }
        }
    }

    private void expr(Expr e, Set<String> bound) {
        switch (e) {
            case Expr.Index i -> {}
            case Expr.Const c -> {}
            case Expr.Var v -> { if (!bound.contains(v.name())) free.add(v.name()); }
            case Expr.Dim d -> dims.add(d.name());
            case Expr.Load l -> {
                buffers.add(l.buffer());
                expr(l.index(), bound);
            }
            case Expr.Unary u -> expr(u.a(), bound);
            case Expr.Binary b -> { expr(b.a(), bound); expr(b.b(), bound); }
            case Expr.Select s -> { expr(s.cond(), bound); expr(s.a(), bound); expr(s.b(), bound); }
            case Expr.Cast c -> expr(c.a(), bound);
            case Expr.Splat s -> expr(s.scalar(), bound);
            case Expr.Fma f -> { expr(f.a(), bound); expr(f.b(), bound); expr(f.c(), bound); }
            case Expr.ReduceLanes r -> expr(r.vector(), bound);
            case Expr.Call c -> c.args().forEach(a -> expr(a, bound));
            case Expr.GpuIndex g -> {}
            case Expr.ShuffleDown d -> expr(d.value(), bound);
        }
    }

    /**
     * Operations (expression nodes and stores, library functions weighted by {@link
     * #LIBRARY_CALL} per lane) one run of {@code s} performs, counting loops with constant bounds
     * exactly and others as {@link #UNKNOWN_TRIPS} iterations; saturates.
     */
    public static long work(Stmt s) {
        return switch (s) {
            case Stmt.Block b -> b.body().stream().mapToLong(LoopUsage::work).reduce(0, LoopUsage::saturatingAdd);
            case Stmt.Loop l -> saturatingAdd(1, saturatingMultiply(trips(l), work(l.body())));
            case Stmt.Declare d -> nodes(d.init());
            case Stmt.Assign a -> nodes(a.value());
            case Stmt.Store st -> 1 + nodes(st.index()) + nodes(st.value());
            case Stmt.If i -> nodes(i.cond()) + Math.max(work(i.then()), work(i.otherwise()));
            case Stmt.Barrier x -> 1;
            case Stmt.MmaTf32 m -> 16;
        };
    }

    public static long trips(Stmt.Loop l) {
        if (l.lo() instanceof Expr.Index lo && l.hi() instanceof Expr.Index hi) {
            return Math.max(0, (hi.value() - lo.value() + l.step() - 1) / l.step());
        }
        return UNKNOWN_TRIPS;
    }

    private static long nodes(Expr e) {
        long own = switch (e) {
            case Expr.Unary u when isLibraryCall(u.fn()) -> LIBRARY_CALL * e.type().lanes();
            case Expr.Binary b when b.fn() == dev.modelc.graph.Op.BinaryFn.POW -> LIBRARY_CALL * e.type().lanes();
            default -> 1;
        };
        return own + switch (e) {
            case Expr.Index i -> 0;
            case Expr.Const c -> 0;
            case Expr.Var v -> 0;
            case Expr.Dim d -> 0;
            case Expr.Load l -> nodes(l.index());
            case Expr.Unary u -> nodes(u.a());
            case Expr.Binary b -> nodes(b.a()) + nodes(b.b());
            case Expr.Select s -> nodes(s.cond()) + nodes(s.a()) + nodes(s.b());
            case Expr.Cast c -> nodes(c.a());
            case Expr.Splat s -> nodes(s.scalar());
            case Expr.Fma f -> nodes(f.a()) + nodes(f.b()) + nodes(f.c());
            case Expr.ReduceLanes r -> nodes(r.vector());
            case Expr.Call c -> c.args().stream().mapToLong(LoopUsage::nodes).sum();
            case Expr.GpuIndex g -> 1;
            case Expr.ShuffleDown d -> 1 + nodes(d.value());
        };
    }

    private static boolean isLibraryCall(dev.modelc.graph.Op.UnaryFn fn) {
        return switch (fn) {
            case EXP, LOG, LOG1P, SIN, COS, TANH, SIGMOID, SOFTPLUS, ERF, GELU -> true;
            default -> false;
        };
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatingMultiply(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }
}
