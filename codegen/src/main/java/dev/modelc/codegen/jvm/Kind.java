package dev.modelc.codegen.jvm;

import dev.modelc.check.DType;
import dev.modelc.loops.LType;
import org.objectweb.asm.Opcodes;

/**
 * The JVM representation of a Loop IR element type: f32 is {@code float}, f64 {@code double},
 * i32 and indices {@code int}, i64 {@code long}, bool an {@code int} 0 or 1 on the stack and in
 * locals and a {@code boolean[]} in memory. Vectors of a numeric kind are the Vector API's
 * {@code FloatVector}, {@code DoubleVector}, {@code IntVector} or {@code LongVector}; bool vectors
 * are {@code VectorMask}s.
 */
enum Kind {
    FLOAT("F", Opcodes.FLOAD, Opcodes.FALOAD, Opcodes.FASTORE, 32, "Float"),
    DOUBLE("D", Opcodes.DLOAD, Opcodes.DALOAD, Opcodes.DASTORE, 64, "Double"),
    INT("I", Opcodes.ILOAD, Opcodes.IALOAD, Opcodes.IASTORE, 32, "Int"),
    LONG("J", Opcodes.LLOAD, Opcodes.LALOAD, Opcodes.LASTORE, 64, "Long"),
    BOOL("Z", Opcodes.ILOAD, Opcodes.BALOAD, Opcodes.BASTORE, 0, null);

    static final String VECTOR_PKG = "jdk/incubator/vector/";
    static final String MASK = VECTOR_PKG + "VectorMask";
    static final String SPECIES = VECTOR_PKG + "VectorSpecies";
    static final String VECTOR = VECTOR_PKG + "Vector";
    static final String OPERATORS = VECTOR_PKG + "VectorOperators";

    /** The descriptor of one element (bool's is Z; it is an int on the stack). */
    final String desc;
    final int load, arrayLoad, arrayStore;
    /** Bits per vector lane (none for bool, whose vectors are masks). */
    final int laneBits;
    private final String vectorName;

    Kind(String desc, int load, int arrayLoad, int arrayStore, int laneBits, String vectorName) {
        this.desc = desc;
        this.load = load;
        this.arrayLoad = arrayLoad;
        this.arrayStore = arrayStore;
        this.laneBits = laneBits;
        this.vectorName = vectorName;
    }

    static Kind of(DType t) {
        return switch (t) {
            case F32 -> FLOAT;
            case F64 -> DOUBLE;
            case I32 -> INT;
            case I64 -> LONG;
            case BOOL -> BOOL;
            case F16, BF16 -> throw new UnsupportedOperationException("the JVM backend does not support " + t + " yet");
        };
    }

    /** An index is an int; see {@link JvmCompiler} for why that is safe. */
    static Kind of(LType t) { return t instanceof LType.Index ? INT : of(t.dtype()); }

    boolean isFloat() { return this == FLOAT || this == DOUBLE; }

    /** Local variable slots a scalar of this kind takes. */
    int size() { return this == LONG || this == DOUBLE ? 2 : 1; }

    int store() { return load + (Opcodes.ISTORE - Opcodes.ILOAD); }

    /** The stack form of a scalar: bool is an int. */
    String stackDesc() { return this == BOOL ? "I" : desc; }

    String arrayDesc() { return "[" + desc; }

    /** The vector class, e.g. {@code jdk/incubator/vector/FloatVector}. */
    String vectorClass() {
        if (vectorName == null) throw new IllegalStateException("bool vectors are masks");
        return VECTOR_PKG + vectorName + "Vector";
    }

    String vectorDesc() { return "L" + vectorClass() + ";"; }

    /** The letter of this kind in VectorOperators' conversion names, e.g. F in F2I. */
    char conversionLetter() { return this == LONG ? 'L' : desc.charAt(0); }

    /** Whether the Vector API has a species of this kind with {@code lanes} lanes (64 to 512 bits). */
    boolean hasSpecies(int lanes) {
        int bits = laneBits * lanes;
        return laneBits > 0 && (bits == 64 || bits == 128 || bits == 256 || bits == 512);
    }
}
