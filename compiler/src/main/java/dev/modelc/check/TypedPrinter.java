package dev.modelc.check;

import java.util.stream.Collectors;

/** Prints every binding of a checked program with its type: the {@code typed} stage. */
public final class TypedPrinter {
    private TypedPrinter() {}

    public static String print(TypedProgram p) {
        var sb = new StringBuilder();
        for (var f : p.functions()) {
            var decl = f.fn().decl();
            sb.append("fn ").append(decl.name()).append('(');
            for (int i = 0; i < decl.params().size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(decl.params().get(i).name()).append(": ").append(generic(f.params().get(i).type()));
            }
            sb.append(") -> ").append(f.result() instanceof Type.Unknown ? "(inferred at each call)" : generic(f.result())).append('\n');
            f.lets().forEach((name, type) -> sb.append("  let ").append(name).append(": ").append(generic(type)).append('\n'));
        }
        for (var m : p.models()) {
            sb.append("model ").append(m.decl().name());
            if (!m.dimVars().isEmpty()) sb.append(" [").append(String.join(", ", m.dimVars())).append(']');
            sb.append('\n');
            for (var member : m.members()) {
                sb.append("  ").append(member.kind().name().toLowerCase(java.util.Locale.ROOT));
                if (member.kind() != TypedModel.Kind.LOSS) sb.append(' ').append(member.name());
                sb.append(": ").append(show(member.typed().type()));
                if (member.init() != null) sb.append(" = ").append(member.init());
                sb.append('\n');
            }
            var t = m.train();
            if (t != null) {
                sb.append("  train: batch=").append(t.batch()).append(" epochs=").append(t.epochs())
                        .append(" seed=").append(t.seed()).append(" shuffle=").append(t.shuffle());
                if (t.optimizer() != null) {
                    sb.append(" optimizer=").append(t.optimizer().fn().decl().name()).append('(')
                            .append(t.optimizer().hyper().entrySet().stream()
                                    .map(e -> e.getKey() + "=" + Values.show(e.getValue())).collect(Collectors.joining(", ")))
                            .append(')');
                    if (!t.optimizer().states().isEmpty()) {
                        sb.append(" state=(").append(String.join(", ", t.optimizer().states())).append(')');
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String show(Type t) {
        return switch (t) {
            case Type.Tensor x when x.isScalar() -> x.dtype().spelling;
            case Type.Tuple tu -> "(" + tu.elements().stream().map(TypedPrinter::show).collect(Collectors.joining(", "))
                    + (tu.elements().size() == 1 ? ",)" : ")");
            default -> t.toString();
        };
    }

    /** A generic function checks a shape pack *S as the two dimensions S__1, S__2; print it as written. */
    private static String generic(Type t) {
        return show(t).replaceAll("\\b([A-Za-z_][A-Za-z_0-9]*)__1, \\1__2\\b", "*$1");
    }

}
