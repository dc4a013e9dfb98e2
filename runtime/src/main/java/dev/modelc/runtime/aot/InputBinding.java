package dev.modelc.runtime.aot;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.DimFormula;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks the tensors given for a program's inputs against their declared types and binds the
 * dimension variables: an axis declared as a plain name (such as {@code B}) binds it, later
 * ones must agree; numbers and compound formulas are checked once everything is bound.
 */
final class InputBinding {
    private InputBinding() {}

    static Map<String, Long> bind(ProgramLayout layout, Map<String, Tensor> given) {
        var dims = new LinkedHashMap<String, Long>();
        var boundBy = new LinkedHashMap<String, String>();
        for (var e : layout.inputs().entrySet()) {
            var b = layout.buffers().get(e.getValue());
            Tensor t = given.get(e.getKey());
            String declared = b.dtype().safetensorsName().toLowerCase(java.util.Locale.ROOT) + "[" + String.join(", ", b.shape()) + "]";
            if (t == null) throw new IllegalArgumentException("missing input '" + e.getKey() + "' (declared " + declared + ")");
            String got = t.dtype().safetensorsName().toLowerCase(java.util.Locale.ROOT) + java.util.Arrays.toString(t.shape());
            if (t.dtype() != b.dtype() || t.rank() != b.shape().size()) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' is declared " + declared + " but got " + got);
            }
            for (int axis = 0; axis < t.rank(); axis++) {
                String d = b.shape().get(axis);
                if (d.matches("[A-Za-z_][A-Za-z_0-9]*")) {
                    Long prior = dims.putIfAbsent(d, t.dim(axis));
                    if (prior != null && prior != t.dim(axis)) {
                        throw new IllegalArgumentException("input '" + e.getKey() + "' is declared " + declared + " but got " + got + ": "
                                + d + " is " + prior + " from '" + boundBy.get(d) + "' but " + t.dim(axis) + " here");
                    }
                    boundBy.putIfAbsent(d, e.getKey());
                }
            }
        }
        solveCompound(layout, given, dims);
        for (var e : layout.inputs().entrySet()) {
            var b = layout.buffers().get(e.getValue());
            Tensor t = given.get(e.getKey());
            for (int axis = 0; axis < t.rank(); axis++) {
                String f = b.shape().get(axis);
                var unbound = DimFormula.variables(f).stream().filter(v -> !dims.containsKey(v)).toList();
                if (!unbound.isEmpty()) {
                    throw new IllegalArgumentException("input '" + e.getKey() + "' axis " + axis + " is " + f + " but has " + t.dim(axis)
                            + ", which no whole " + String.join(", ", unbound) + " >= 0 gives");
                }
                long want = DimFormula.evaluate(f, dims);
                if (want != t.dim(axis)) {
                    throw new IllegalArgumentException("input '" + e.getKey() + "' axis " + axis + " should be " + b.shape().get(axis)
                            + " = " + want + ", got " + t.dim(axis));
                }
            }
        }
        return dims;
    }

    /**
     * Binds a variable that no plain axis binds from a formula where it is the only unknown and
     * which is affine in it ({@code N + 1}, {@code 2*N}), as the compiler's checker does; repeats
     * while that makes progress. A formula it cannot solve is left to the final check.
     */
    private static void solveCompound(ProgramLayout layout, Map<String, Tensor> given, Map<String, Long> dims) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (var e : layout.inputs().entrySet()) {
                var shape = layout.buffers().get(e.getValue()).shape();
                Tensor t = given.get(e.getKey());
                for (int axis = 0; axis < shape.size(); axis++) {
                    String f = shape.get(axis);
                    var unbound = DimFormula.variables(f).stream().filter(v -> !dims.containsKey(v)).toList();
                    if (unbound.size() != 1) continue;
                    String v = unbound.getFirst();
                    long f0 = at(f, dims, v, 0), f1 = at(f, dims, v, 1), f2 = at(f, dims, v, 2);
                    long slope = f1 - f0;
                    if (slope == 0 || f2 - f1 != slope || Math.floorMod(t.dim(axis) - f0, slope) != 0) continue;
                    long value = Math.floorDiv(t.dim(axis) - f0, slope);
                    if (value < 0 || at(f, dims, v, value) != t.dim(axis)) continue;
                    dims.put(v, value);
                    progress = true;
                }
            }
        }
    }

    private static long at(String formula, Map<String, Long> dims, String v, long value) {
        var with = new java.util.HashMap<>(dims);
        with.put(v, value);
        return DimFormula.evaluate(formula, with);
    }
}
