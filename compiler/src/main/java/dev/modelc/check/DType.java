package dev.modelc.check;

import java.util.Optional;

/** Element types. Order within a kind is by width, which promotion uses. */
public enum DType {
    BOOL("bool", Kind.BOOL, 1),
    I32("i32", Kind.INT, 4),
    I64("i64", Kind.INT, 8),
    F16("f16", Kind.FLOAT, 2),
    BF16("bf16", Kind.FLOAT, 2),
    F32("f32", Kind.FLOAT, 4),
    F64("f64", Kind.FLOAT, 8);

    public enum Kind { BOOL, INT, FLOAT }

    public final String spelling;
    public final Kind kind;
    public final int bytes;

    DType(String spelling, Kind kind, int bytes) {
        this.spelling = spelling;
        this.kind = kind;
        this.bytes = bytes;
    }

    public boolean isFloat() { return kind == Kind.FLOAT; }

    public boolean isInt() { return kind == Kind.INT; }

    public boolean isNumeric() { return kind != Kind.BOOL; }

    public static Optional<DType> parse(String s) {
        for (var d : values()) if (d.spelling.equals(s)) return Optional.of(d);
        return Optional.empty();
    }

    /** PyTorch-style promotion of two strong types: float beats int beats bool, wider beats narrower. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.kind != b.kind) return a.kind.ordinal() > b.kind.ordinal() ? a : b;
        if ((a == F16 && b == BF16) || (a == BF16 && b == F16)) return F32;
        return a.bytes >= b.bytes ? a : b;
    }

    @Override
    public String toString() { return spelling; }

    /** The runtime's element type for this one (the runtime does not depend on the compiler). */
    public dev.modelc.runtime.DType toRuntime() {
        return switch (this) {
            case F32 -> dev.modelc.runtime.DType.F32;
            case F64 -> dev.modelc.runtime.DType.F64;
            case I32 -> dev.modelc.runtime.DType.I32;
            case I64 -> dev.modelc.runtime.DType.I64;
            case BOOL -> dev.modelc.runtime.DType.BOOL;
            case F16 -> dev.modelc.runtime.DType.F16;
            case BF16 -> dev.modelc.runtime.DType.BF16;
        };
    }
}
