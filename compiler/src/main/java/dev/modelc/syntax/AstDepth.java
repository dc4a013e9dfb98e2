package dev.modelc.syntax;

import dev.modelc.syntax.Ast.*;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The depth of the deepest expression in a file, measured without recursion. Every later stage
 * walks expressions recursively, so an absurdly deep one (a chain of thousands of operators) is
 * refused here with a diagnostic instead of exhausting the stack somewhere downstream.
 */
final class AstDepth {
    private AstDepth() {}

    /** The first expression or type nested deeper than {@code limit}, or null. */
    static Node tooDeep(SourceFile file, int limit) {
        var roots = new java.util.ArrayList<Expr>();
        for (var f : file.functions()) {
            for (var p : f.params()) if (p.defaultValue() != null) roots.add(p.defaultValue());
            for (var s : f.body()) roots.add(switch (s) { case Let l -> l.value(); case Return r -> r.value(); });
        }
        for (var m : file.models()) {
            for (var member : m.members()) {
                switch (member) {
                    case ParamDecl p -> { if (p.init() != null) roots.add(p.init()); }
                    case ConstDecl c -> { if (c.init() != null) roots.add(c.init()); }
                    case LetDecl l -> roots.add(l.value());
                    case OutputDecl o -> roots.add(o.value());
                    case LossDecl l -> roots.add(l.value());
                    case MetricDecl x -> roots.add(x.value());
                    case TrainBlock t -> t.settings().forEach(s -> roots.add(s.value()));
                    case InputDecl i -> { }
                }
            }
        }
        var types = new java.util.ArrayList<TypeExpr>();
        for (var f : file.functions()) {
            f.params().forEach(p -> types.add(p.type()));
            if (f.result() != null) types.add(f.result());
        }
        for (var m : file.models()) {
            for (var member : m.members()) {
                switch (member) {
                    case InputDecl i -> types.add(i.type());
                    case ParamDecl p -> types.add(p.type());
                    case ConstDecl c -> types.add(c.type());
                    default -> { }
                }
            }
        }
        for (var t : types) {
            Node deep = tooDeep(t, limit);
            if (deep != null) return deep;
        }
        record Item(Expr expr, int depth) {}
        var work = new ArrayDeque<Item>();
        roots.forEach(r -> work.push(new Item(r, 1)));
        while (!work.isEmpty()) {
            var item = work.pop();
            if (item.depth() > limit) return item.expr();
            for (var child : children(item.expr())) work.push(new Item(child, item.depth() + 1));
        }
        return null;
    }

    private static Node tooDeep(TypeExpr type, int limit) {
        record Item(Node node, int depth) {}
        var work = new ArrayDeque<Item>();
        work.push(new Item(type, 1));
        while (!work.isEmpty()) {
            var item = work.pop();
            if (item.depth() > limit) return item.node();
            List<? extends Node> children = switch (item.node()) {
                case TupleTypeExpr tu -> tu.elements();
                case TensorTypeExpr tt -> tt.dims();
                case DimBinary b -> List.of(b.left(), b.right());
                case DimNeg n -> List.of(n.operand());
                default -> List.of();
            };
            for (var c : children) work.push(new Item(c, item.depth() + 1));
        }
        return null;
    }

    private static List<Expr> children(Expr e) {
        return switch (e) {
            case Attribute a -> List.of(a.target());
            case Call c -> {
                var out = new java.util.ArrayList<Expr>();
                out.add(c.callee());
                c.args().forEach(a -> out.add(a.value()));
                yield out;
            }
            case Index x -> {
                var out = new java.util.ArrayList<Expr>();
                out.add(x.target());
                for (var s : x.subscripts()) {
                    switch (s) {
                        case At at -> out.add(at.index());
                        case Slice sl -> { for (var p : new Expr[] {sl.lo(), sl.hi(), sl.step()}) if (p != null) out.add(p); }
                        case Ellipsis el -> { }
                    }
                }
                yield out;
            }
            case Binary b -> List.of(b.left(), b.right());
            case Unary u -> List.of(u.operand());
            case Tuple t -> t.elements();
            case ListExpr l -> l.elements();
            case Grad g -> List.of(g.of(), g.wrt());
            case IntLit i -> List.of();
            case FloatLit f -> List.of();
            case BoolLit b -> List.of();
            case StringLit s -> List.of();
            case Name n -> List.of();
        };
    }
}
