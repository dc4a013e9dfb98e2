package dev.modelc.syntax;

import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Source;
import dev.modelc.diag.Span;
import dev.modelc.grammar.ModelBaseVisitor;
import dev.modelc.grammar.ModelParser;
import dev.modelc.grammar.ModelParser.*;
import dev.modelc.syntax.Ast.*;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns an ANTLR parse tree into the {@link Ast}. Runs only on trees without syntax errors,
 * so every child it asks for is present; literal values out of range become diagnostics.
 */
final class AstBuilder extends ModelBaseVisitor<Object> {
    private final Source source;
    private final Diagnostics diagnostics;

    AstBuilder(Source source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    SourceFile file(FileContext ctx) {
        var imports = new ArrayList<Import>();
        var fns = new ArrayList<FnDecl>();
        var models = new ArrayList<ModelDecl>();
        for (var d : ctx.topDecl()) {
            if (d.importDecl() != null) imports.add((Import) visit(d.importDecl()));
            else if (d.fnDecl() != null) fns.add(fn(d.fnDecl()));
            else if (d.modelDecl() != null) models.add(model(d.modelDecl()));
        }
        return new SourceFile(span(ctx), List.copyOf(imports), List.copyOf(fns), List.copyOf(models));
    }

    // ---- spans ----

    private Span span(ParserRuleContext ctx) {
        Token stop = ctx.getStop() == null || ctx.getStop().getStopIndex() < ctx.getStart().getStartIndex()
                ? ctx.getStart() : ctx.getStop();
        return Span.of(source, source.charOffset(ctx.getStart().getStartIndex()),
                source.charOffset(stop.getStopIndex() + 1));
    }

    private Span span(Token t) {
        return Span.of(source, source.charOffset(t.getStartIndex()), source.charOffset(t.getStopIndex() + 1));
    }

    private Span span(TerminalNode n) { return span(n.getSymbol()); }

    private static String name(NameContext ctx) { return ctx.getText(); }

    // ---- declarations ----

    @Override
    public Object visitImportFile(ImportFileContext ctx) {
        return new Import(span(ctx), null, false, unquote(ctx.STRING().getText()));
    }

    @Override
    public Object visitImportModule(ImportModuleContext ctx) {
        var parts = ctx.dottedName().name().stream().map(AstBuilder::name).toList();
        return new Import(span(ctx), parts, ctx.STAR() != null, null);
    }

    private FnDecl fn(FnDeclContext ctx) {
        var params = ctx.fnParam().stream()
                .map(p -> new Param(span(p), name(p.name()), type(p.type()), p.expr() == null ? null : expr(p.expr())))
                .toList();
        TypeExpr result = ctx.type() == null ? null : type(ctx.type());
        List<Stmt> body;
        if (ctx.fnBody() instanceof ExprBodyContext e) {
            var value = expr(e.expr());
            body = List.of(new Return(value.span(), value));
        } else {
            var b = (BlockBodyContext) ctx.fnBody();
            var stmts = new ArrayList<Stmt>();
            for (var s : b.stmt()) {
                switch (s) {
                    case LetStmtContext l -> stmts.add(new Let(span(l), name(l.name()), span(l.name()), expr(l.expr())));
                    case ReturnStmtContext r -> stmts.add(new Return(span(r), expr(r.expr())));
                    default -> { }
                }
            }
            body = List.copyOf(stmts);
        }
        return new FnDecl(span(ctx), name(ctx.name()), span(ctx.name()), params, result, body);
    }

    private ModelDecl model(ModelDeclContext ctx) {
        var members = new ArrayList<Member>();
        for (var m : ctx.member()) {
            Member member = switch (m) {
                case InputMemberContext c -> new InputDecl(span(c), name(c.name()), span(c.name()), type(c.type()));
                case ParamMemberContext c -> new ParamDecl(span(c), name(c.name()), span(c.name()), type(c.type()),
                        c.expr() == null ? null : expr(c.expr()));
                case ConstMemberContext c -> new ConstDecl(span(c), name(c.name()), span(c.name()), type(c.type()),
                        c.expr() == null ? null : expr(c.expr()));
                case LetMemberContext c -> new LetDecl(span(c), name(c.name()), span(c.name()), expr(c.expr()));
                case OutputMemberContext c -> new OutputDecl(span(c), name(c.name()), span(c.name()), expr(c.expr()));
                case LossMemberContext c -> new LossDecl(span(c), expr(c.expr()));
                case MetricMemberContext c -> new MetricDecl(span(c), name(c.name()), span(c.name()), expr(c.expr()));
                case TrainMemberContext c -> new TrainBlock(span(c), c.setting().stream()
                        .map(s -> new Setting(span(s), name(s.name()), expr(s.expr()))).toList());
                default -> null;
            };
            if (member != null) members.add(member);
        }
        return new ModelDecl(span(ctx), name(ctx.name()), List.copyOf(members));
    }

    // ---- types ----

    private TypeExpr type(TypeContext ctx) {
        return switch (ctx) {
            case TensorTypeContext t -> new TensorTypeExpr(span(t), name(t.name()), t.dim().stream().map(this::dim).toList());
            case TupleTypeContext t -> new TupleTypeExpr(span(t), t.type().stream().map(this::type).toList());
            default -> throw new IllegalStateException("unknown type form " + ctx.getClass());
        };
    }

    private Dim dim(DimContext ctx) {
        return switch (ctx) {
            case PackDimContext p -> new DimPack(span(p), name(p.name()));
            case ExprDimContext e -> dimExpr(e.dimExpr());
            default -> throw new IllegalStateException("unknown dim form " + ctx.getClass());
        };
    }

    private Dim dimExpr(DimExprContext ctx) {
        return switch (ctx) {
            case ParenDimContext p -> dimExpr(p.dimExpr());
            case NegDimContext n -> new DimNeg(span(n), dimExpr(n.dimExpr()));
            case MulDimContext m -> new DimBinary(span(m), m.op.getText().charAt(0), dimExpr(m.dimExpr(0)), dimExpr(m.dimExpr(1)));
            case AddDimContext a -> new DimBinary(span(a), a.op.getText().charAt(0), dimExpr(a.dimExpr(0)), dimExpr(a.dimExpr(1)));
            case IntDimContext i -> new DimInt(span(i), integer(i.INT().getSymbol()));
            case VarDimContext v -> new DimVar(span(v), name(v.name()));
            default -> throw new IllegalStateException("unknown dim form " + ctx.getClass());
        };
    }

    // ---- expressions ----

    Expr expr(ParserRuleContext ctx) {
        return (Expr) visit(ctx);
    }

    @Override
    public Object visitExpr(ExprContext ctx) { return visit(ctx.orExpr()); }

    @Override
    public Object visitOrExpr(OrExprContext ctx) { return chain(ctx.andExpr(), ctx.OR(), BinOp.OR); }

    @Override
    public Object visitAndExpr(AndExprContext ctx) { return chain(ctx.notExpr(), ctx.AND(), BinOp.AND); }

    private Expr chain(List<? extends ParserRuleContext> operands, List<TerminalNode> ops, BinOp op) {
        Expr result = expr(operands.get(0));
        for (int i = 1; i < operands.size(); i++) {
            Expr right = expr(operands.get(i));
            result = new Binary(result.span().to(right.span()), op, span(ops.get(i - 1)), result, right);
        }
        return result;
    }

    @Override
    public Object visitNotOp(NotOpContext ctx) { return new Unary(span(ctx), UnOp.NOT, expr(ctx.notExpr())); }

    @Override
    public Object visitNotPass(NotPassContext ctx) { return visit(ctx.compareExpr()); }

    @Override
    public Object visitCompareExpr(CompareExprContext ctx) {
        if (ctx.op == null) return visit(ctx.arith(0));
        return binary(ctx, ctx.op, ctx.arith(0), ctx.arith(1));
    }

    @Override
    public Object visitAddOp(AddOpContext ctx) { return binary(ctx, ctx.op, ctx.arith(0), ctx.arith(1)); }

    @Override
    public Object visitArithPass(ArithPassContext ctx) { return visit(ctx.term()); }

    @Override
    public Object visitMulOp(MulOpContext ctx) { return binary(ctx, ctx.op, ctx.term(0), ctx.term(1)); }

    @Override
    public Object visitTermPass(TermPassContext ctx) { return visit(ctx.unary()); }

    private Expr binary(ParserRuleContext ctx, Token op, ParserRuleContext l, ParserRuleContext r) {
        return new Binary(span(ctx), binOp(op), span(op), expr(l), expr(r));
    }

    private static BinOp binOp(Token t) {
        return switch (t.getType()) {
            case ModelParser.PLUS -> BinOp.ADD;
            case ModelParser.MINUS -> BinOp.SUB;
            case ModelParser.STAR -> BinOp.MUL;
            case ModelParser.SLASH -> BinOp.DIV;
            case ModelParser.PERCENT -> BinOp.MOD;
            case ModelParser.AT -> BinOp.MATMUL;
            case ModelParser.POW -> BinOp.POW;
            case ModelParser.LT -> BinOp.LT;
            case ModelParser.LE -> BinOp.LE;
            case ModelParser.GT -> BinOp.GT;
            case ModelParser.GE -> BinOp.GE;
            case ModelParser.EQ -> BinOp.EQ;
            case ModelParser.NE -> BinOp.NE;
            default -> throw new IllegalStateException("not a binary operator: " + t.getText());
        };
    }

    @Override
    public Object visitSignOp(SignOpContext ctx) {
        Expr operand = expr(ctx.unary());
        if (ctx.op.getType() == ModelParser.MINUS) {
            // Fold "-3" and "-0.5" into literals so that "-1" reads as the literal the user wrote.
            if (operand instanceof IntLit i) return new IntLit(span(ctx), -i.value());
            if (operand instanceof FloatLit f) return new FloatLit(span(ctx), -f.value(), "-" + f.text());
            return new Unary(span(ctx), UnOp.NEG, operand);
        }
        return new Unary(span(ctx), UnOp.POS, operand);
    }

    @Override
    public Object visitUnaryPass(UnaryPassContext ctx) { return visit(ctx.power()); }

    @Override
    public Object visitPower(PowerContext ctx) {
        Expr base = expr(ctx.postfix());
        if (ctx.POW() == null) return base;
        return new Binary(span(ctx), BinOp.POW, span(ctx.POW()), base, expr(ctx.unary()));
    }

    @Override
    public Object visitPrimaryPass(PrimaryPassContext ctx) { return visit(ctx.primary()); }

    @Override
    public Object visitCall(CallContext ctx) {
        var args = ctx.args() == null ? List.<Arg>of() : ctx.args().arg().stream().map(this::arg).toList();
        return new Call(span(ctx), expr(ctx.postfix()), args);
    }

    private Arg arg(ArgContext ctx) {
        return switch (ctx) {
            case NamedArgContext n -> new Arg(span(n), name(n.name()), expr(n.expr()));
            case PositionalArgContext p -> new Arg(span(p), null, expr(p.expr()));
            default -> throw new IllegalStateException("unknown argument form");
        };
    }

    @Override
    public Object visitIndex(IndexContext ctx) {
        var subs = ctx.subscript().stream().map(this::subscript).toList();
        return new Index(span(ctx), expr(ctx.postfix()), subs);
    }

    private Subscript subscript(SubscriptContext ctx) {
        return switch (ctx) {
            case EllipsisSubContext e -> new Ellipsis(span(e));
            case IndexSubContext i -> new At(span(i), expr(i.expr()));
            case SliceSubContext s -> new Slice(span(s), s.lo == null ? null : expr(s.lo),
                    s.hi == null ? null : expr(s.hi), s.step == null ? null : expr(s.step));
            default -> throw new IllegalStateException("unknown subscript form");
        };
    }

    @Override
    public Object visitAttribute(AttributeContext ctx) {
        return new Attribute(span(ctx), expr(ctx.postfix()), name(ctx.name()));
    }

    @Override
    public Object visitIntLit(IntLitContext ctx) { return new IntLit(span(ctx), integer(ctx.INT().getSymbol())); }

    @Override
    public Object visitFloatLit(FloatLitContext ctx) {
        String text = ctx.FLOAT().getText();
        double v = Double.parseDouble(text.replace("_", ""));
        if (Double.isInfinite(v)) diagnostics.error(span(ctx), "literal-range", "float literal " + text + " is too large");
        return new FloatLit(span(ctx), v, text);
    }

    private long integer(Token t) {
        String digits = t.getText().replace("_", "");
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            diagnostics.error(span(t), "literal-range", "integer literal " + t.getText() + " does not fit in 64 bits");
            return 0;
        }
    }

    @Override
    public Object visitBoolLit(BoolLitContext ctx) { return new BoolLit(span(ctx), ctx.TRUE() != null); }

    @Override
    public Object visitStringLit(StringLitContext ctx) {
        return new StringLit(span(ctx), unquote(ctx.STRING().getText()));
    }

    @Override
    public Object visitGradExpr(GradExprContext ctx) { return new Grad(span(ctx), expr(ctx.expr(0)), expr(ctx.expr(1))); }

    @Override
    public Object visitNameRef(NameRefContext ctx) { return new Name(span(ctx), name(ctx.name())); }

    @Override
    public Object visitParens(ParensContext ctx) { return expr(ctx.expr()); }

    @Override
    public Object visitTuple(TupleContext ctx) {
        return new Tuple(span(ctx), ctx.expr().stream().map(this::expr).toList());
    }

    @Override
    public Object visitEmptyTuple(EmptyTupleContext ctx) { return new Tuple(span(ctx), List.of()); }

    @Override
    public Object visitList(ListContext ctx) {
        return new ListExpr(span(ctx), ctx.expr().stream().map(this::expr).toList());
    }

    private static String unquote(String quoted) {
        var sb = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                char n = quoted.charAt(++i);
                sb.append(switch (n) { case 'n' -> '\n'; case 't' -> '\t'; default -> n; });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
