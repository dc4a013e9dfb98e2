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
        for (var e : layout.inputs().entrySet()) {
            var b = layout.buffers().get(e.getValue());
            Tensor t = given.get(e.getKey());
            for (int axis = 0; axis < t.rank(); axis++) {
                long want = DimFormula.evaluate(b.shape().get(axis), dims);
                if (want != t.dim(axis)) {
                    throw new IllegalArgumentException("input '" + e.getKey() + "' axis " + axis + " should be " + b.shape().get(axis)
                            + " = " + want + ", got " + t.dim(axis));
                }
            }
        }
        return dims;
    }
}
