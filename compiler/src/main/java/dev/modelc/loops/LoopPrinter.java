package dev.modelc.loops;

import dev.modelc.check.DimExpr;
import dev.modelc.graph.Op.BinaryFn;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The text form of Loop IR ({@code modelc ir --stage loops}): buffers, then each kernel as indented loops. */
public final class LoopPrinter {
    private final StringBuilder sb = new StringBuilder();
    private final LoopProgram program;

    private LoopPrinter(LoopProgram program) { this.program = program; }

    public static String print(LoopProgram p) {
        var printer = new LoopPrinter(p);
        printer.program();
        return printer.sb.toString();
    }

    private void program() {
        sb.append("entry ").append(program.entry());
        if (!program.dims().isEmpty()) sb.append(" [").append(String.join(", ", program.dims())).append(']');
        sb.append(" {\n");
        var inputOf = new TreeMap<Integer, String>();
        program.inputs().forEach((name, id) -> inputOf.put(id, name));
        for (var b : program.buffers()) {
            sb.append("  buffer ").append(name(b.id())).append(" : ").append(b.dtype()).append('[')
                    .append(b.shape().stream().map(DimExpr::toString).collect(Collectors.joining(", "))).append(']');
            sb.append(switch (b.kind()) {
                case INPUT -> " input";
                case TEMP -> " temp slot " + b.slot();
                case SHARED -> " shared";
            }).append('\n');
        }
        for (var k : program.kernels()) {
            sb.append("  kernel ").append(k.name()).append(" reads(").append(names(k.reads())).append(") writes(")
                    .append(names(k.writes())).append(")");
            if (k.launch() != null) {
                sb.append(" blocks(").append(k.launch().blocks().stream().map(this::expr).collect(Collectors.joining(", "))).append(") threads(")
                        .append(k.launch().threads()).append(')');
            }
            sb.append(" {\n");
            stmt(k.body(), 2);
            sb.append("  }\n");
        }
        var results = new TreeMap<String, Integer>(program.results());
        sb.append("  return ");
        boolean first = true;
        for (var r : orderedResults()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(r.getKey()).append(" = ").append(name(r.getValue()));
        }
        if (results.isEmpty()) sb.append("()");
        sb.append("\n}\n");
    }

    private List<Map.Entry<String, Integer>> orderedResults() {
        return program.results().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    }

    private String names(List<Integer> ids) { return ids.stream().map(this::name).collect(Collectors.joining(", ")); }

    private String name(int buffer) { return program.buffer(buffer).name(); }

    private void stmt(Stmt s, int depth) {
        String pad = "  ".repeat(depth);
        switch (s) {
            case Stmt.Block b -> b.body().forEach(x -> stmt(x, depth));
            case Stmt.Loop l -> {
                sb.append(pad).append(l.schedule() == Stmt.Schedule.PARALLEL ? "parallel for " : "for ").append(l.var())
                        .append(" in ").append(expr(l.lo())).append("..").append(expr(l.hi()));
                if (l.step() != 1) sb.append(" step ").append(l.step());
                sb.append(" {\n");
                stmt(l.body(), depth + 1);
                sb.append(pad).append("}\n");
            }
            case Stmt.Declare d -> sb.append(pad).append("var ").append(d.var()).append(": ").append(d.type()).append(" = ")
                    .append(expr(d.init())).append('\n');
            case Stmt.Assign a -> sb.append(pad).append(a.var()).append(" = ").append(expr(a.value())).append('\n');
            case Stmt.Store st -> sb.append(pad).append(access(st.buffer(), st.index(), st.value().type().lanes())).append(" = ")
                    .append(expr(st.value())).append('\n');
            case Stmt.Barrier x -> sb.append(pad).append("barrier\n");
            case Stmt.MmaTf32 m -> sb.append(pad).append('(').append(String.join(", ", m.d())).append(") = mma_tf32(")
                    .append(m.a().stream().map(this::expr).collect(Collectors.joining(", "))).append("; ")
                    .append(m.b().stream().map(this::expr).collect(Collectors.joining(", "))).append("; ")
                    .append(m.c().stream().map(this::expr).collect(Collectors.joining(", "))).append(")\n");
            case Stmt.If i -> {
                sb.append(pad).append("if ").append(expr(i.cond())).append(" {\n");
                stmt(i.then(), depth + 1);
                if (!(i.otherwise() instanceof Stmt.Block b && b.body().isEmpty())) {
                    sb.append(pad).append("} else {\n");
                    stmt(i.otherwise(), depth + 1);
                }
                sb.append(pad).append("}\n");
            }
        }
    }

    private String access(int buffer, Expr index, int lanes) {
        return name(buffer) + "[" + expr(index) + (lanes > 1 ? " ..+" + lanes : "") + "]";
    }

    String expr(Expr e) {
        return switch (e) {
            case Expr.Index i -> Long.toString(i.value());
            case Expr.Const c -> constant(c);
            case Expr.Var v -> v.name();
            case Expr.Dim d -> d.name();
            case Expr.Load l -> access(l.buffer(), l.index(), l.type().lanes());
            case Expr.Unary u -> u.fn().mnemonic() + "(" + expr(u.a()) + ")";
            case Expr.Binary b -> binary(b);
            case Expr.Select s -> "select(" + expr(s.cond()) + ", " + expr(s.a()) + ", " + expr(s.b()) + ")";
            case Expr.Cast c -> c.type() + "(" + expr(c.a()) + ")";
            case Expr.Splat s -> "splat" + s.lanes() + "(" + expr(s.scalar()) + ")";
            case Expr.Fma f -> "fma(" + expr(f.a()) + ", " + expr(f.b()) + ", " + expr(f.c()) + ")";
            case Expr.ReduceLanes r -> "lanes_" + r.fn().mnemonic() + "(" + expr(r.vector()) + ")";
            case Expr.Call c -> c.fn().name().toLowerCase(java.util.Locale.ROOT) + "(" + c.args().stream().map(this::expr)
                    .collect(Collectors.joining(", ")) + ") : " + c.type();
            case Expr.GpuIndex g -> "gpu." + g.axis().name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            case Expr.ShuffleDown d -> "shfl_down(" + expr(d.value()) + ", " + d.delta() + ")";
        };
    }

    private String binary(Expr.Binary b) {
        String op = switch (b.fn()) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case MOD -> "%";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
            case EQ -> "==";
            case NE -> "!=";
            case AND -> "&&";
            case OR -> "||";
            default -> null;
        };
        if (op == null) return b.fn().mnemonic() + "(" + expr(b.a()) + ", " + expr(b.b()) + ")";
        return "(" + expr(b.a()) + " " + op + " " + expr(b.b()) + ")";
    }

    private static String constant(Expr.Const c) {
        double v = c.value();
        if (c.dtype().isFloat()) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) return (long) v + ".0";
            return c.dtype() == dev.modelc.check.DType.F32 && (float) v == v ? Float.toString((float) v) : Double.toString(v);
        }
        if (c.dtype() == dev.modelc.check.DType.BOOL) return v != 0 ? "true" : "false";
        return Long.toString((long) v);
    }

}
