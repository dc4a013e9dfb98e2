package dev.modelc.codegen.testing;

import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.Stmt;
import java.util.Set;

/**
 * Whether a program calls a library function: one whose value a backend takes from a math
 * library (glibc's libm) rather than from Java's {@code Math}, {@code ElementMath} and {@code
 * Erf}, so that its result may be an ulp or so from the evaluator's.
 */
public final class LibraryCalls {
    private LibraryCalls() {}

    static final Set<UnaryFn> UNARY = Set.of(UnaryFn.EXP, UnaryFn.LOG, UnaryFn.LOG1P, UnaryFn.SIN, UnaryFn.COS, UnaryFn.TANH,
            UnaryFn.ERF, UnaryFn.SIGMOID, UnaryFn.SOFTPLUS, UnaryFn.GELU);

    /** Float pow only: the integer one is exponentiation by squaring everywhere. */
    static boolean isLibraryCall(Expr e) {
        return switch (e) {
            case Expr.Unary u -> UNARY.contains(u.fn()) && isFloat(u.a());
            case Expr.Binary b -> b.fn() == BinaryFn.POW && isFloat(b.a());
            default -> false;
        };
    }

    /** An index has no dtype. */
    private static boolean isFloat(Expr e) { return e.type().dtype() != null && e.type().dtype().isFloat(); }

    public static boolean usedBy(LoopProgram p) { return p.kernels().stream().anyMatch(k -> in(k.body())); }

    private static boolean in(Stmt s) {
        return switch (s) {
            case Stmt.Block b -> b.body().stream().anyMatch(LibraryCalls::in);
            case Stmt.Loop l -> in(l.lo()) || in(l.hi()) || in(l.body());
            case Stmt.Declare d -> in(d.init());
            case Stmt.Assign a -> in(a.value());
            case Stmt.Store st -> in(st.index()) || in(st.value());
            case Stmt.If i -> in(i.cond()) || in(i.then()) || in(i.otherwise());
            case Stmt.Barrier x -> false;
            case Stmt.MmaTf32 m -> false;
        };
    }

    private static boolean in(Expr e) {
        if (isLibraryCall(e)) return true;
        return switch (e) {
            case Expr.Index i -> false;
            case Expr.Const c -> false;
            case Expr.Var v -> false;
            case Expr.Dim d -> false;
            case Expr.Load l -> in(l.index());
            case Expr.Unary u -> in(u.a());
            case Expr.Binary b -> in(b.a()) || in(b.b());
            case Expr.Select s -> in(s.cond()) || in(s.a()) || in(s.b());
            case Expr.Cast c -> in(c.a());
            case Expr.Splat s -> in(s.scalar());
            case Expr.Fma f -> in(f.a()) || in(f.b()) || in(f.c());
            case Expr.ReduceLanes r -> in(r.vector());
            case Expr.Call c -> c.args().stream().anyMatch(LibraryCalls::in);
            case Expr.GpuIndex g -> false;
            case Expr.ShuffleDown d -> in(d.value());
        };
    }
}
