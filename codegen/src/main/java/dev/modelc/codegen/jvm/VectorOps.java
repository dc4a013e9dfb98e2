package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.MethodVisitor;

/**
 * Bytecode for single Vector API calls. Species come from the Vector API's own static final
 * fields ({@code FloatVector.SPECIES_256} and so on), which C2 folds to constants just as it would
 * a field of the generated class.
 */
final class VectorOps {
    private VectorOps() {}

    private static final String SPECIES_DESC = "L" + Kind.SPECIES + ";";
    private static final String VECTOR_DESC = "L" + Kind.VECTOR + ";";
    private static final String MASK_DESC = "L" + Kind.MASK + ";";

    /** Masks of a bool vector live in the int species of its lane count unless an operation just made them elsewhere. */
    static final Kind CANONICAL_MASK = Kind.INT;

    static void requireSpecies(Kind k, int lanes) {
        Kind carrier = k == Kind.BOOL ? CANONICAL_MASK : k;
        if (!carrier.hasSpecies(lanes)) {
            throw new UnsupportedOperationException("the JVM backend has no vector of " + lanes + " x " + k.name().toLowerCase(java.util.Locale.ROOT)
                    + " (the Vector API's shapes are 64 to 512 bits)");
        }
    }

    static void species(MethodVisitor mv, Kind k, int lanes) {
        requireSpecies(k, lanes);
        mv.visitFieldInsn(GETSTATIC, k.vectorClass(), "SPECIES_" + k.laneBits * lanes, SPECIES_DESC);
    }

    /** {@code [species, scalar] -> vector} */
    static void broadcast(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKESTATIC, k.vectorClass(), "broadcast", "(" + SPECIES_DESC + k.desc + ")" + k.vectorDesc(), false);
    }

    /** {@code [species, array, index] -> vector} */
    static void fromArray(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKESTATIC, k.vectorClass(), "fromArray", "(" + SPECIES_DESC + k.arrayDesc() + "I)" + k.vectorDesc(), false);
    }

    /** {@code [species, boolean[], index] -> mask} */
    static void maskFromArray(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKESTATIC, Kind.MASK, "fromArray", "(" + SPECIES_DESC + "[ZI)" + MASK_DESC, false);
    }

    /** {@code [species, long bits] -> mask} */
    static void maskFromLong(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKESTATIC, Kind.MASK, "fromLong", "(" + SPECIES_DESC + "J)" + MASK_DESC, false);
    }

    /** {@code [species, int 0/1] -> mask} with every lane set or clear. */
    static void maskAll(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKEINTERFACE, Kind.SPECIES, "maskAll", "(Z)" + MASK_DESC, true);
    }

    /** {@code [vector or mask, array, index] -> } */
    static void intoArray(MethodVisitor mv, Kind k) {
        if (k == Kind.BOOL) mv.visitMethodInsn(INVOKEVIRTUAL, Kind.MASK, "intoArray", "([ZI)V", false);
        else mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "intoArray", "(" + k.arrayDesc() + "I)V", false);
    }

    /** {@code [vector or mask, int lane] -> scalar} */
    static void lane(MethodVisitor mv, Kind k) {
        if (k == Kind.BOOL) mv.visitMethodInsn(INVOKEVIRTUAL, Kind.MASK, "laneIsSet", "(I)Z", false);
        else mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "lane", "(I)" + k.desc, false);
    }

    /** {@code [vector, int lane, scalar] -> vector} */
    static void withLane(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "withLane", "(I" + k.desc + ")" + k.vectorDesc(), false);
    }

    /** {@code [vector] -> vector}, e.g. neg, abs. */
    static void unary(MethodVisitor mv, Kind k, String name) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), name, "()" + k.vectorDesc(), false);
    }

    /** {@code [vector, vector] -> vector}, e.g. add, max. */
    static void binary(MethodVisitor mv, Kind k, String name) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), name, "(" + VECTOR_DESC + ")" + k.vectorDesc(), false);
    }

    /** {@code [a, b, c] -> a * b + c} rounded once per lane. */
    static void fma(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "fma", "(" + VECTOR_DESC + VECTOR_DESC + ")" + k.vectorDesc(), false);
    }

    /** Pushes {@code VectorOperators.name}, of operator type {@code type} (Unary, Binary, Associative, Comparison, Conversion). */
    static void operator(MethodVisitor mv, String name, String type) {
        mv.visitFieldInsn(GETSTATIC, Kind.OPERATORS, name, "L" + Kind.OPERATORS + "$" + type + ";");
    }

    /** {@code [vector, Unary op] -> vector} */
    static void lanewise(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "lanewise", "(L" + Kind.OPERATORS + "$Unary;)" + k.vectorDesc(), false);
    }

    /** {@code [vector, Comparison op, vector] -> mask} */
    static void compare(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "compare", "(L" + Kind.OPERATORS + "$Comparison;" + VECTOR_DESC + ")" + MASK_DESC, false);
    }

    /** {@code [vector, Comparison op, long] -> mask} */
    static void compareScalar(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "compare", "(L" + Kind.OPERATORS + "$Comparison;J)" + MASK_DESC, false);
    }

    /** {@code [b, a, mask] -> mask ? a : b} lane by lane. */
    static void blend(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "blend", "(" + VECTOR_DESC + MASK_DESC + ")" + k.vectorDesc(), false);
    }

    /** {@code [b, long a, mask] -> mask ? a : b} lane by lane. */
    static void blendScalar(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "blend", "(J" + MASK_DESC + ")" + k.vectorDesc(), false);
    }

    /** {@code [vector, Associative op] -> scalar} */
    static void reduceLanes(MethodVisitor mv, Kind k) {
        mv.visitMethodInsn(INVOKEVIRTUAL, k.vectorClass(), "reduceLanes", "(L" + Kind.OPERATORS + "$Associative;)" + k.desc, false);
    }

    /** {@code [vector, Conversion op, species, int part] -> vector of the species' kind} */
    static void convertShape(MethodVisitor mv, Kind from, Kind to) {
        mv.visitMethodInsn(INVOKEVIRTUAL, from.vectorClass(), "convertShape",
                "(L" + Kind.OPERATORS + "$Conversion;" + SPECIES_DESC + "I)" + VECTOR_DESC, false);
        mv.visitTypeInsn(CHECKCAST, to.vectorClass());
    }

    /** {@code [mask] -> the same lanes as a mask of {@code to}'s species} (free when the shapes agree). */
    static void castMask(MethodVisitor mv, Kind to, int lanes) {
        species(mv, to, lanes);
        mv.visitMethodInsn(INVOKEVIRTUAL, Kind.MASK, "cast", "(" + SPECIES_DESC + ")" + MASK_DESC, false);
    }

    /** {@code [mask, mask] -> mask} for and, or, xor, andNot, eq. */
    static void maskBinary(MethodVisitor mv, String name) {
        mv.visitMethodInsn(INVOKEVIRTUAL, Kind.MASK, name, "(" + MASK_DESC + ")" + MASK_DESC, false);
    }

    static void maskNot(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKEVIRTUAL, Kind.MASK, "not", "()" + MASK_DESC, false);
    }

    /** {@code [mask] -> int 0/1} for anyTrue, allTrue. */
    static void maskTest(MethodVisitor mv, String name) {
        mv.visitMethodInsn(INVOKEVIRTUAL, Kind.MASK, name, "()Z", false);
    }
}
