package dev.modelc.check;

import dev.modelc.diag.Diagnostics;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns written types ({@code f32[B, H - KH + 1]}) into {@link Type}s over {@link DimExpr}s. */
final class TypeResolver {
    private TypeResolver() {}

    /** How dimension variables in a type are treated. */
    interface DimVars {
        /** The value of a variable, or empty to report it unknown. */
        Optional<DimExpr> lookup(String name, Ast.DimVar at);

        /** The dimensions a shape pack stands for, or empty to reject packs here. */
        Optional<List<DimExpr>> pack(String name, Ast.DimPack at);
    }

    /** Element-type-like names that are not tensors. */
    static Optional<Type> special(String name) {
        return switch (name) {
            case "str" -> Optional.of(Type.STR);
            case "init" -> Optional.of(Type.INIT);
            default -> Optional.empty();
        };
    }

    static Type resolve(Ast.TypeExpr t, DimVars vars, Diagnostics d) {
        switch (t) {
            case Ast.TupleTypeExpr tu -> {
                var parts = new ArrayList<Type>();
                for (var e : tu.elements()) parts.add(resolve(e, vars, d));
                return new Type.Tuple(parts);
            }
            case Ast.TensorTypeExpr tt -> {
                var special = special(tt.elementType());
                if (special.isPresent()) {
                    if (!tt.dims().isEmpty()) {
                        d.error(tt.span(), "type-unknown", "'" + tt.elementType() + "' takes no dimensions");
                        return Type.UNKNOWN;
                    }
                    return special.get();
                }
                var dtype = DType.parse(tt.elementType());
                if (dtype.isEmpty()) {
                    d.error(tt.span(), "type-unknown", "unknown element type '" + tt.elementType()
                            + "' (expected f32, f64, i32, i64, bool, f16 or bf16)");
                    return Type.UNKNOWN;
                }
                var shape = new ArrayList<DimExpr>();
                boolean packSeen = false;
                for (var dim : tt.dims()) {
                    if (dim instanceof Ast.DimPack p) {
                        if (packSeen) {
                            d.error(p.span(), "type-pack", "a type may hold only one shape pack");
                            return Type.UNKNOWN;
                        }
                        packSeen = true;
                        var dims = vars.pack(p.name(), p);
                        if (dims.isEmpty()) return Type.UNKNOWN;
                        shape.addAll(dims.get());
                        continue;
                    }
                    DimExpr e = dim(dim, vars, d);
                    if (e == null) return Type.UNKNOWN;
                    shape.add(e);
                }
                return Type.Tensor.of(dtype.get(), shape);
            }
        }
    }

    static DimExpr dim(Ast.Dim dim, DimVars vars, Diagnostics d) {
        try {
            return switch (dim) {
                case Ast.DimInt i -> DimExpr.constant(i.value());
                case Ast.DimVar v -> {
                    if (!Character.isUpperCase(v.name().charAt(0))) {
                        d.error(v.span(), "dim-variable-case", "'" + v.name()
                                + "' cannot be a dimension: dimension variables start with an upper-case letter");
                        yield null;
                    }
                    yield vars.lookup(v.name(), v).orElse(null);
                }
                case Ast.DimNeg n -> {
                    DimExpr e = dim(n.operand(), vars, d);
                    yield e == null ? null : e.negate();
                }
                case Ast.DimBinary b -> {
                    DimExpr l = dim(b.left(), vars, d);
                    DimExpr r = dim(b.right(), vars, d);
                    if (l == null || r == null) yield null;
                    yield switch (b.op()) {
                        case '+' -> l.plus(r);
                        case '-' -> l.minus(r);
                        case '*' -> l.times(r);
                        default -> {
                            var q = l.floorDiv(r);
                            if (q.isEmpty()) {
                                d.error(b.right().span(), "dim-division", "a dimension can only be divided by a positive"
                                        + " integer constant, not by " + r);
                                yield null;
                            }
                            yield q.get();
                        }
                    };
                }
                case Ast.DimPack p -> {
                    d.error(p.span(), "type-pack", "a shape pack cannot be used inside a dimension expression");
                    yield null;
                }
            };
        } catch (ArithmeticException overflow) {
            d.error(dim.span(), "dim-overflow", "dimension overflows 64-bit integers");
            return null;
        }
    }

    /** The dimension variables written in a type, in order of first appearance. */
    static void collectVars(Ast.TypeExpr t, List<String> vars, List<String> packs) {
        switch (t) {
            case Ast.TupleTypeExpr tu -> tu.elements().forEach(e -> collectVars(e, vars, packs));
            case Ast.TensorTypeExpr tt -> tt.dims().forEach(d -> collectDim(d, vars, packs));
        }
    }

    private static void collectDim(Ast.Dim d, List<String> vars, List<String> packs) {
        switch (d) {
            case Ast.DimVar v -> { if (!vars.contains(v.name())) vars.add(v.name()); }
            case Ast.DimPack p -> { if (!packs.contains(p.name())) packs.add(p.name()); }
            case Ast.DimNeg n -> collectDim(n.operand(), vars, packs);
            case Ast.DimBinary b -> { collectDim(b.left(), vars, packs); collectDim(b.right(), vars, packs); }
            case Ast.DimInt i -> { }
        }
    }

    /** Resolves with fixed bindings: variables and packs must all be in the maps. */
    static DimVars bound(Map<String, DimExpr> dims, Map<String, List<DimExpr>> packs, Diagnostics d, String where) {
        return new DimVars() {
            @Override
            public Optional<DimExpr> lookup(String name, Ast.DimVar at) {
                var v = dims.get(name);
                if (v == null) d.error(at.span(), "dim-unknown", "unknown dimension variable '" + name + "'" + where);
                return Optional.ofNullable(v);
            }

            @Override
            public Optional<List<DimExpr>> pack(String name, Ast.DimPack at) {
                var v = packs.get(name);
                if (v == null) d.error(at.span(), "type-pack", "shape packs such as *" + name + " are only allowed in function signatures");
                return Optional.ofNullable(v);
            }
        };
    }
}
