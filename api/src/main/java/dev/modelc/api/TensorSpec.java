package dev.modelc.api;

import dev.modelc.runtime.DType;
import java.util.List;

/**
 * A named tensor a model takes or keeps: its element type and its shape as declared, where a
 * dimension is a number or a dimension variable bound when the model runs ({@code [B, 784]}).
 */
public record TensorSpec(String name, DType dtype, List<String> shape) {
    public TensorSpec {
        shape = List.copyOf(shape);
    }

    /** The shape as numbers, when it has no dimension variables. */
    public long[] fixedShape() {
        return shape.stream().mapToLong(d -> {
            try {
                return Long.parseLong(d);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + " has a symbolic shape " + shape);
            }
        }).toArray();
    }

    /** The type as the language writes it: {@code f32[B, 784]}. */
    public String typeText() { return dtype.safetensorsName().toLowerCase(java.util.Locale.ROOT) + "[" + String.join(", ", shape) + "]"; }

    static String typeText(DType dtype, long[] shape) {
        return dtype.safetensorsName().toLowerCase(java.util.Locale.ROOT)
                + java.util.Arrays.toString(shape);
    }

    @Override
    public String toString() { return name + ": " + typeText(); }
}
