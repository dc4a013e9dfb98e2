package dev.modelc.syntax;

import dev.modelc.diag.Span;
import java.util.List;

/**
 * The abstract syntax tree: immutable records, each with the source span it came from.
 * Built from the ANTLR parse tree by {@link AstBuilder}; printed by {@link AstPrinter}.
 */
public final class Ast {
    private Ast() {}

    public sealed interface Node permits SourceFile, Decl, Member, Stmt, Param, TypeExpr, Dim, Expr, Arg, Subscript, Setting {
        Span span();
    }

    public record SourceFile(Span span, List<Import> imports, List<FnDecl> functions, List<ModelDecl> models)
            implements Node {}

    public sealed interface Decl extends Node permits Import, FnDecl, ModelDecl {}

    /** {@code import std.nn}, {@code import std.nn.*} (module != null) or {@code import "path.model"} (file != null). */
    public record Import(Span span, List<String> module, boolean wildcard, String file) implements Decl {
        public String moduleName() { return module == null ? file : String.join(".", module); }
    }

    /** A function; {@code result} may be null (inferred), {@code body} is a list of lets and one return. */
    public record FnDecl(Span span, String name, Span nameSpan, List<Param> params, TypeExpr result, List<Stmt> body)
            implements Decl {}

    public record Param(Span span, String name, TypeExpr type, Expr defaultValue) implements Node {}

    public sealed interface Stmt extends Node permits Let, Return {}

    public record Let(Span span, String name, Span nameSpan, Expr value) implements Stmt {}

    public record Return(Span span, Expr value) implements Stmt {}

    public record ModelDecl(Span span, String name, List<Member> members) implements Decl {}

    public sealed interface Member extends Node
            permits InputDecl, ParamDecl, ConstDecl, LetDecl, OutputDecl, LossDecl, MetricDecl, TrainBlock {}

    public record InputDecl(Span span, String name, Span nameSpan, TypeExpr type) implements Member {}

    public record ParamDecl(Span span, String name, Span nameSpan, TypeExpr type, Expr init) implements Member {}

    public record ConstDecl(Span span, String name, Span nameSpan, TypeExpr type, Expr init) implements Member {}

    public record LetDecl(Span span, String name, Span nameSpan, Expr value) implements Member {}

    public record OutputDecl(Span span, String name, Span nameSpan, Expr value) implements Member {}

    public record LossDecl(Span span, Expr value) implements Member {}

    public record MetricDecl(Span span, String name, Span nameSpan, Expr value) implements Member {}

    public record TrainBlock(Span span, List<Setting> settings) implements Member {}

    public record Setting(Span span, String name, Expr value) implements Node {}

    // ---- types ----

    public sealed interface TypeExpr extends Node permits TensorTypeExpr, TupleTypeExpr {}

    /** {@code f32[B, 784]}; {@code dims} is empty for a scalar ({@code f32} or {@code f32[]}). */
    public record TensorTypeExpr(Span span, String elementType, List<Dim> dims) implements TypeExpr {}

    public record TupleTypeExpr(Span span, List<TypeExpr> elements) implements TypeExpr {}

    public sealed interface Dim extends Node permits DimInt, DimVar, DimBinary, DimNeg, DimPack {}

    public record DimInt(Span span, long value) implements Dim {}

    public record DimVar(Span span, String name) implements Dim {}

    public record DimBinary(Span span, char op, Dim left, Dim right) implements Dim {}

    public record DimNeg(Span span, Dim operand) implements Dim {}

    /** {@code *S}: a shape variable standing for any number of dimensions. */
    public record DimPack(Span span, String name) implements Dim {}

    // ---- expressions ----

    public sealed interface Expr extends Node
            permits IntLit, FloatLit, BoolLit, StringLit, Name, Attribute, Call, Index, Binary, Unary, Tuple, ListExpr, Grad {}

    public record IntLit(Span span, long value) implements Expr {}

    public record FloatLit(Span span, double value, String text) implements Expr {}

    public record BoolLit(Span span, boolean value) implements Expr {}

    public record StringLit(Span span, String value) implements Expr {}

    public record Name(Span span, String name) implements Expr {}

    /** {@code x.T}, or a qualified name such as {@code nn.dense}. */
    public record Attribute(Span span, Expr target, String name) implements Expr {}

    public record Call(Span span, Expr callee, List<Arg> args) implements Expr {}

    /** A call argument; {@code name} is null for a positional one. */
    public record Arg(Span span, String name, Expr value) implements Node {}

    public record Index(Span span, Expr target, List<Subscript> subscripts) implements Expr {}

    public sealed interface Subscript extends Node permits At, Slice, Ellipsis {}

    public record At(Span span, Expr index) implements Subscript {}

    /** {@code lo:hi:step}; absent parts are null. */
    public record Slice(Span span, Expr lo, Expr hi, Expr step) implements Subscript {}

    public record Ellipsis(Span span) implements Subscript {}

    public enum BinOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("**"), MATMUL("@"),
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!="), AND("and"), OR("or");

        public final String symbol;

        BinOp(String symbol) { this.symbol = symbol; }

        public boolean isComparison() { return this.compareTo(LT) >= 0 && this.compareTo(NE) <= 0; }

        public boolean isLogical() { return this == AND || this == OR; }
    }

    public record Binary(Span span, BinOp op, Span opSpan, Expr left, Expr right) implements Expr {}

    public enum UnOp {
        NEG("-"), POS("+"), NOT("not");

        public final String symbol;

        UnOp(String symbol) { this.symbol = symbol; }
    }

    public record Unary(Span span, UnOp op, Expr operand) implements Expr {}

    public record Tuple(Span span, List<Expr> elements) implements Expr {}

    public record ListExpr(Span span, List<Expr> elements) implements Expr {}

    /** {@code grad(of, wrt)}: wrt is a name or a tuple of names. */
    public record Grad(Span span, Expr of, Expr wrt) implements Expr {}
}
