package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.MethodVisitor;

/** Scalars to and from the {@code long} bits in which a parallel loop's captured locals travel. */
final class Captures {
    private Captures() {}

    /** {@code [scalar] -> [long]}; floats by their raw bits so that every value survives. */
    static void encode(MethodVisitor mv, Kind k) {
        switch (k) {
            case INT, BOOL -> mv.visitInsn(I2L);
            case LONG -> {}
            case FLOAT -> {
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(I2L);
            }
            case DOUBLE -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
        }
    }

    /** {@code [long] -> [scalar]}, the inverse of {@link #encode}. */
    static void decode(MethodVisitor mv, Kind k) {
        switch (k) {
            case INT, BOOL -> mv.visitInsn(L2I);
            case LONG -> {}
            case FLOAT -> {
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
            }
            case DOUBLE -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
        }
    }
}
