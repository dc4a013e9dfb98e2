package dev.modelc.runtime;

import java.util.Optional;

/**
 * Element types a {@link Tensor} can hold. Each constant carries the one table of facts the
 * runtime needs about it: its size, its NumPy name, its {@code .npy} descr and its safetensors
 * name. F16 and BF16 are storage-only: their bits are kept exactly and can be read as floats,
 * but there are no Java-array factories for them.
 */
public enum DType {
    F32(4, "float32", "<f4", "F32"),
    F64(8, "float64", "<f8", "F64"),
    I32(4, "int32", "<i4", "I32"),
    I64(8, "int64", "<i8", "I64"),
    BOOL(1, "bool", "|b1", "BOOL"),
    F16(2, "float16", "<f2", "F16"),
    /** NumPy has no bfloat16, so BF16 has no {@code .npy} descr; it travels in safetensors only. */
    BF16(2, "bfloat16", null, "BF16");

    private final int byteSize;
    private final String displayName;
    private final String npyDescr;
    private final String safetensorsName;

    DType(int byteSize, String displayName, String npyDescr, String safetensorsName) {
        this.byteSize = byteSize;
        this.displayName = displayName;
        this.npyDescr = npyDescr;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The NumPy-style name used in messages, e.g. {@code float32}. */
    public String displayName() {
        return displayName;
    }

    /** The little-endian {@code .npy} descr, e.g. {@code <f4}; empty for BF16. */
    public Optional<String> npyDescr() {
        return Optional.ofNullable(npyDescr);
    }

    /** The safetensors dtype name, e.g. {@code F32}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** The dtype with this safetensors name, if the runtime supports it. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
