package dev.modelc.syntax;

import dev.modelc.syntax.Ast.*;
import java.util.List;

/**
 * Prints the AST as an indented tree, one node per line with its kind, its own fields and its
 * line:column, so {@code ir --stage ast} shows exactly what the parser understood.
 */
public final class AstPrinter {
    private final StringBuilder out = new StringBuilder();

    private AstPrinter() {}

    public static String print(SourceFile file) {
        var p = new AstPrinter();
        p.line(0, "SourceFile", file.span().source().displayName());
        for (var i : file.imports()) p.line(1, "Import", i.module() == null ? '"' + i.file() + '"' : i.moduleName() + (i.wildcard() ? ".*" : ""), i);
        for (var f : file.functions()) p.fn(1, f);
        for (var m : file.models()) p.model(1, m);
        return p.out.toString();
    }

    private void fn(int d, FnDecl f) {
        line(d, "Fn", f.name() + (f.result() == null ? "" : " -> " + type(f.result())), f);
        for (var p : f.params()) {
            line(d + 1, "Param", p.name() + ": " + type(p.type()), p);
            if (p.defaultValue() != null) expr(d + 2, p.defaultValue());
        }
        for (var s : f.body()) {
            switch (s) {
                case Let l -> { line(d + 1, "Let", l.name(), l); expr(d + 2, l.value()); }
                case Return r -> { line(d + 1, "Return", "", r); expr(d + 2, r.value()); }
            }
        }
    }

    private void model(int d, ModelDecl m) {
        line(d, "Model", m.name(), m);
        for (var member : m.members()) {
            switch (member) {
                case InputDecl i -> line(d + 1, "Input", i.name() + ": " + type(i.type()), i);
                case ParamDecl p -> { line(d + 1, "Param", p.name() + ": " + type(p.type()), p); opt(d + 2, p.init()); }
                case ConstDecl c -> { line(d + 1, "Const", c.name() + ": " + type(c.type()), c); opt(d + 2, c.init()); }
                case LetDecl l -> { line(d + 1, "Let", l.name(), l); expr(d + 2, l.value()); }
                case OutputDecl o -> { line(d + 1, "Output", o.name(), o); expr(d + 2, o.value()); }
                case LossDecl l -> { line(d + 1, "Loss", "", l); expr(d + 2, l.value()); }
                case MetricDecl x -> { line(d + 1, "Metric", x.name(), x); expr(d + 2, x.value()); }
                case TrainBlock t -> {
                    line(d + 1, "Train", "", t);
                    for (var s : t.settings()) { line(d + 2, "Setting", s.name(), s); expr(d + 3, s.value()); }
                }
            }
        }
    }

    private void opt(int d, Expr e) { if (e != null) expr(d, e); }

    private void expr(int d, Expr e) {
        switch (e) {
            case IntLit i -> line(d, "Int", Long.toString(i.value()), i);
            case FloatLit f -> line(d, "Float", f.text(), f);
            case BoolLit b -> line(d, "Bool", Boolean.toString(b.value()), b);
            case StringLit s -> line(d, "String", '"' + s.value() + '"', s);
            case Name n -> line(d, "Name", n.name(), n);
            case Attribute a -> { line(d, "Attribute", "." + a.name(), a); expr(d + 1, a.target()); }
            case Call c -> {
                line(d, "Call", "", c);
                expr(d + 1, c.callee());
                for (var a : c.args()) {
                    if (a.name() == null) expr(d + 1, a.value());
                    else { line(d + 1, "Named", a.name(), a); expr(d + 2, a.value()); }
                }
            }
            case Index x -> {
                line(d, "Index", "", x);
                expr(d + 1, x.target());
                for (var s : x.subscripts()) subscript(d + 1, s);
            }
            case Binary b -> { line(d, "Binary", b.op().symbol, b); expr(d + 1, b.left()); expr(d + 1, b.right()); }
            case Unary u -> { line(d, "Unary", u.op().symbol, u); expr(d + 1, u.operand()); }
            case Tuple t -> { line(d, "Tuple", "", t); all(d + 1, t.elements()); }
            case ListExpr l -> { line(d, "List", "", l); all(d + 1, l.elements()); }
            case Grad g -> { line(d, "Grad", "", g); expr(d + 1, g.of()); expr(d + 1, g.wrt()); }
        }
    }

    private void subscript(int d, Subscript s) {
        switch (s) {
            case At a -> { line(d, "At", "", a); expr(d + 1, a.index()); }
            case Ellipsis e -> line(d, "Ellipsis", "", e);
            case Slice sl -> {
                line(d, "Slice", "", sl);
                slicePart(d + 1, "lo", sl.lo());
                slicePart(d + 1, "hi", sl.hi());
                slicePart(d + 1, "step", sl.step());
            }
        }
    }

    private void slicePart(int d, String which, Expr e) {
        if (e == null) return;
        line(d, which, "", e);
        expr(d + 1, e);
    }

    private void all(int d, List<Expr> es) { for (var e : es) expr(d, e); }

    public static String typeText(TypeExpr t) { return type(t); }

    /** An expression as the user wrote it. */
    public static String exprText(Expr e) {
        return e.span().source().text().substring(e.span().start(), e.span().end());
    }

    static String type(TypeExpr t) {
        return switch (t) {
            case TensorTypeExpr tt -> tt.dims().isEmpty() ? tt.elementType()
                    : tt.elementType() + "[" + String.join(", ", tt.dims().stream().map(AstPrinter::dim).toList()) + "]";
            case TupleTypeExpr tu -> "(" + String.join(", ", tu.elements().stream().map(AstPrinter::type).toList()) + ")";
        };
    }

    static String dim(Dim d) { return dim(d, 0); }

    /** Prints a dimension with only the parentheses its precedence needs ({@code outer}: 0 sum, 1 product, 2 unary). */
    private static String dim(Dim d, int outer) {
        return switch (d) {
            case DimInt i -> Long.toString(i.value());
            case DimVar v -> v.name();
            case DimPack p -> "*" + p.name();
            case DimNeg n -> "-" + dim(n.operand(), 2);
            case DimBinary b -> {
                int own = b.op() == '+' || b.op() == '-' ? 0 : 1;
                String text = dim(b.left(), own) + (own == 0 ? " " + b.op() + " " : String.valueOf(b.op())) + dim(b.right(), own + 1);
                yield own < outer ? "(" + text + ")" : text;
            }
        };
    }

    private void line(int depth, String kind, String detail, Node node) {
        line(depth, kind, detail + "  @" + node.span().line() + ":" + node.span().column());
    }

    private void line(int depth, String kind, String detail) {
        out.append("  ".repeat(depth)).append(kind);
        if (!detail.isBlank()) out.append(' ').append(detail.strip());
        out.append('\n');
    }
}
