package dev.modelc.graph;

import dev.modelc.check.DType;

/** Converts a compile-time number to what a constant of an element type holds, as a run-time cast would. */
public final class Conversions {
    private Conversions() {}

    public static double cast(double v, DType d) {
        return switch (d) {
            case BOOL -> v != 0 ? 1 : 0;
            case I32 -> Double.isNaN(v) ? 0 : (int) v;
            case I64 -> Double.isNaN(v) ? 0 : (long) v;
            case F32, F16, BF16 -> (float) v;
            case F64 -> v;
        };
    }
}
