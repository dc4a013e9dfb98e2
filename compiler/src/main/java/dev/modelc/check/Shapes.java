package dev.modelc.check;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Shape arithmetic shared by the typing rules: broadcasting, products, printing. */
public final class Shapes {
    private Shapes() {}

    static final DimExpr ONE = DimExpr.constant(1);

    /** NumPy broadcasting of two shapes; null when they do not broadcast (symbolic dims must be equal or literally 1). */
    public static List<DimExpr> broadcast(List<DimExpr> a, List<DimExpr> b) {
        int n = Math.max(a.size(), b.size());
        var out = new ArrayList<DimExpr>(n);
        for (int i = 0; i < n; i++) {
            DimExpr x = i < n - a.size() ? ONE : a.get(i - (n - a.size()));
            DimExpr y = i < n - b.size() ? ONE : b.get(i - (n - b.size()));
            if (x.equals(y)) out.add(x);
            else if (x.equals(ONE)) out.add(y);
            else if (y.equals(ONE)) out.add(x);
            else return null;
        }
        return out;
    }

    /** Whether {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(List<DimExpr> from, List<DimExpr> to) {
        var b = broadcast(from, to);
        return b != null && b.equals(to);
    }

    public static DimExpr product(List<DimExpr> dims) {
        DimExpr p = ONE;
        for (var d : dims) p = p.times(d);
        return p;
    }

    public static String show(List<DimExpr> shape) {
        return "[" + shape.stream().map(DimExpr::toString).collect(Collectors.joining(", ")) + "]";
    }

    /** Normalises an axis against a rank; -1 when out of range. */
    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return a < 0 || a >= rank ? -1 : (int) a;
    }
}
