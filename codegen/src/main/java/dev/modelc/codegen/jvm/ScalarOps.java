package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Bytecode for one scalar element operation, with the reference interpreter's semantics. The
 * operands are emitted by callbacks, so that the same code serves whole expressions and single
 * lanes of vectors. f32 operations that are not exact in float arithmetic (transcendentals, pow,
 * mod, rsqrt) widen to double, compute there and round once, as the interpreter does; integer
 * division and modulo floor (Math.floorDiv/floorMod), and the rest wraps like Java.
 */
final class ScalarOps {
    private ScalarOps() {}

    private static final String MATH = "java/lang/Math";
    private static final String ELEMENT_MATH = "dev/modelc/runtime/jvm/ElementMath";

    static void unary(MethodVisitor mv, UnaryFn fn, Kind k, Runnable operand) {
        switch (k) {
            case FLOAT -> {
                operand.run();
                switch (fn) {
                    case NEG -> mv.visitInsn(FNEG);
                    case ABS -> math(mv, "abs", "(F)F");
                    case SIGN -> math(mv, "signum", "(F)F");
                    case SQUARE -> { mv.visitInsn(DUP); mv.visitInsn(FMUL); }
                    case RELU -> { mv.visitInsn(FCONST_0); math(mv, "max", "(FF)F"); }
                    default -> {
                        mv.visitInsn(F2D);
                        doubleFunction(mv, fn);
                        mv.visitInsn(D2F);
                    }
                }
            }
            case DOUBLE -> {
                operand.run();
                doubleFunction(mv, fn);
            }
            case INT -> {
                operand.run();
                switch (fn) {
                    case NEG -> mv.visitInsn(INEG);
                    case ABS -> math(mv, "abs", "(I)I");
                    case SIGN -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "signum", "(I)I", false);
                    case SQUARE -> { mv.visitInsn(DUP); mv.visitInsn(IMUL); }
                    case RELU -> { mv.visitInsn(ICONST_0); math(mv, "max", "(II)I"); }
                    case FLOOR, CEIL, ROUND -> {}
                    default -> throw unsupported(fn.mnemonic(), k);
                }
            }
            case LONG -> {
                operand.run();
                switch (fn) {
                    case NEG -> mv.visitInsn(LNEG);
                    case ABS -> math(mv, "abs", "(J)J");
                    case SIGN -> { mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "signum", "(J)I", false); mv.visitInsn(I2L); }
                    case SQUARE -> { mv.visitInsn(DUP2); mv.visitInsn(LMUL); }
                    case RELU -> { mv.visitInsn(LCONST_0); math(mv, "max", "(JJ)J"); }
                    case FLOOR, CEIL, ROUND -> {}
                    default -> throw unsupported(fn.mnemonic(), k);
                }
            }
            case BOOL -> {
                if (fn != UnaryFn.NOT) throw unsupported(fn.mnemonic(), k);
                operand.run();
                mv.visitInsn(ICONST_1);
                mv.visitInsn(IXOR);
            }
        }
    }

    /** {@code fn} of the double on the stack. */
    private static void doubleFunction(MethodVisitor mv, UnaryFn fn) {
        switch (fn) {
            case NEG -> mv.visitInsn(DNEG);
            case ABS -> math(mv, "abs", "(D)D");
            case SIGN -> math(mv, "signum", "(D)D");
            case EXP -> math(mv, "exp", "(D)D");
            case LOG -> math(mv, "log", "(D)D");
            case LOG1P -> math(mv, "log1p", "(D)D");
            case SQRT -> math(mv, "sqrt", "(D)D");
            case RSQRT -> {
                math(mv, "sqrt", "(D)D");
                mv.visitInsn(DCONST_1); // 1.0 / sqrt(x): bring 1.0 under the root
                mv.visitInsn(DUP2_X2);
                mv.visitInsn(POP2);
                mv.visitInsn(DDIV);
            }
            case SQUARE -> { mv.visitInsn(DUP2); mv.visitInsn(DMUL); }
            case SIN -> math(mv, "sin", "(D)D");
            case COS -> math(mv, "cos", "(D)D");
            case TANH -> math(mv, "tanh", "(D)D");
            case SIGMOID -> elementMath(mv, "sigmoid");
            case SOFTPLUS -> elementMath(mv, "softplus");
            case RELU -> { mv.visitInsn(DCONST_0); math(mv, "max", "(DD)D"); }
            case FLOOR -> math(mv, "floor", "(D)D");
            case CEIL -> math(mv, "ceil", "(D)D");
            case ROUND -> math(mv, "rint", "(D)D");
            case ERF -> mv.visitMethodInsn(INVOKESTATIC, "dev/modelc/runtime/jvm/Erf", "erf", "(D)D", false);
            case GELU -> elementMath(mv, "gelu");
            case NOT -> throw unsupported("not", Kind.DOUBLE);
        }
    }

    /** {@code a fn b}; a comparison leaves a bool (int 0 or 1). */
    static void binary(MethodVisitor mv, BinaryFn fn, Kind k, Runnable a, Runnable b) {
        if (fn.isComparison()) {
            a.run();
            b.run();
            compare(mv, fn, k);
            return;
        }
        boolean logical = fn == BinaryFn.AND || fn == BinaryFn.OR;
        if (logical != (k == Kind.BOOL)) throw unsupported(fn.mnemonic(), k);
        if (k == Kind.FLOAT && (fn == BinaryFn.POW || fn == BinaryFn.MOD)) {
            a.run();
            mv.visitInsn(F2D);
            b.run();
            mv.visitInsn(F2D);
            elementMath(mv, fn == BinaryFn.POW ? "pow" : "mod", "(DD)D");
            mv.visitInsn(D2F);
            return;
        }
        if (k == Kind.INT && fn == BinaryFn.POW) {
            a.run();
            mv.visitInsn(I2L);
            b.run();
            mv.visitInsn(I2L);
            elementMath(mv, "powInt", "(JJ)J");
            mv.visitInsn(L2I);
            return;
        }
        a.run();
        b.run();
        String d = k.stackDesc(), two = "(" + d + d + ")" + d;
        switch (fn) {
            case ADD -> mv.visitInsn(arith(k, IADD));
            case SUB -> mv.visitInsn(arith(k, ISUB));
            case MUL -> mv.visitInsn(arith(k, IMUL));
            case DIV -> {
                if (k.isFloat()) mv.visitInsn(arith(k, IDIV));
                else math(mv, "floorDiv", two);
            }
            case MOD -> {
                if (k == Kind.DOUBLE) elementMath(mv, "mod", two);
                else math(mv, "floorMod", two);
            }
            case POW -> elementMath(mv, k == Kind.DOUBLE ? "pow" : "powInt", two);
            case MAX -> math(mv, "max", two);
            case MIN -> math(mv, "min", two);
            case AND -> mv.visitInsn(IAND);
            case OR -> mv.visitInsn(IOR);
            default -> throw new AssertionError(fn);
        }
    }

    /** IADD, LADD, FADD or DADD (and likewise for the other arithmetic opcodes). */
    private static int arith(Kind k, int intOpcode) {
        return intOpcode + switch (k) {
            case INT, BOOL -> 0;
            case LONG -> 1;
            case FLOAT -> 2;
            case DOUBLE -> 3;
        };
    }

    /**
     * Two operands to an int 0 or 1. For floats the NaN-biased compare is chosen so that every
     * comparison with a NaN is false except {@code !=}, as in Java.
     */
    private static void compare(MethodVisitor mv, BinaryFn fn, Kind k) {
        boolean lessish = fn == BinaryFn.LT || fn == BinaryFn.LE;
        switch (k) {
            case FLOAT -> mv.visitInsn(lessish ? FCMPG : FCMPL);
            case DOUBLE -> mv.visitInsn(lessish ? DCMPG : DCMPL);
            case LONG -> mv.visitInsn(LCMP);
            case INT, BOOL -> {}
        }
        boolean twoInts = k == Kind.INT || k == Kind.BOOL;
        int jumpIfFalse = switch (fn) {
            case LT -> twoInts ? IF_ICMPGE : IFGE;
            case LE -> twoInts ? IF_ICMPGT : IFGT;
            case GT -> twoInts ? IF_ICMPLE : IFLE;
            case GE -> twoInts ? IF_ICMPLT : IFLT;
            case EQ -> twoInts ? IF_ICMPNE : IFNE;
            case NE -> twoInts ? IF_ICMPEQ : IFEQ;
            default -> throw new AssertionError(fn);
        };
        bool(mv, jumpIfFalse);
    }

    /** Pushes 1, or 0 where the conditional jump {@code jumpIfFalse} on the stack's operands is taken. */
    private static void bool(MethodVisitor mv, int jumpIfFalse) {
        Label no = new Label(), end = new Label();
        mv.visitJumpInsn(jumpIfFalse, no);
        mv.visitInsn(ICONST_1);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(no);
        mv.visitInsn(ICONST_0);
        mv.visitLabel(end);
    }

    /**
     * Converts the scalar on the stack, as the interpreter's convert: Java's casts (float to
     * integer truncates, NaN to 0, saturating; long to float rounds once; long to int wraps),
     * numbers to bool are {@code != 0} (NaN too), bool to numbers 0 and 1.
     */
    static void cast(MethodVisitor mv, Kind from, Kind to) {
        if (from == to) return;
        if (to == Kind.BOOL) {
            switch (from) {
                case FLOAT -> { mv.visitInsn(FCONST_0); mv.visitInsn(FCMPL); }
                case DOUBLE -> { mv.visitInsn(DCONST_0); mv.visitInsn(DCMPL); }
                case LONG -> { mv.visitInsn(LCONST_0); mv.visitInsn(LCMP); }
                default -> {}
            }
            bool(mv, IFEQ);
            return;
        }
        Kind source = from == Kind.BOOL ? Kind.INT : from; // a bool is already an int 0 or 1
        if (source == to) return;
        int op = switch (source) {
            case INT -> to == Kind.LONG ? I2L : to == Kind.FLOAT ? I2F : I2D;
            case LONG -> to == Kind.INT ? L2I : to == Kind.FLOAT ? L2F : L2D;
            case FLOAT -> to == Kind.INT ? F2I : to == Kind.LONG ? F2L : F2D;
            case DOUBLE -> to == Kind.INT ? D2I : to == Kind.LONG ? D2L : D2F;
            case BOOL -> throw new AssertionError();
        };
        mv.visitInsn(op);
    }

    /** {@code a * b + c}, rounded once for floats (Math.fma), wrapping for integers. */
    static void fma(MethodVisitor mv, Kind k, Runnable a, Runnable b, Runnable c) {
        a.run();
        b.run();
        if (k.isFloat()) {
            c.run();
            String d = k.desc;
            math(mv, "fma", "(" + d + d + d + ")" + d);
        } else {
            mv.visitInsn(arith(k, IMUL));
            c.run();
            mv.visitInsn(arith(k, IADD));
        }
    }

    /** Pushes an element constant (an integer constant wraps to its type, as in the evaluator). */
    static void constant(MethodVisitor mv, Kind k, double v) {
        switch (k) {
            case FLOAT -> mv.visitLdcInsn((float) v);
            case DOUBLE -> mv.visitLdcInsn(v);
            case INT -> push(mv, (int) (long) v);
            case LONG -> mv.visitLdcInsn((long) v);
            case BOOL -> mv.visitInsn(v != 0 ? ICONST_1 : ICONST_0);
        }
    }

    static void push(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    private static void math(MethodVisitor mv, String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, MATH, name, desc, false);
    }

    private static void elementMath(MethodVisitor mv, String name) { elementMath(mv, name, "(D)D"); }

    private static void elementMath(MethodVisitor mv, String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, ELEMENT_MATH, name, desc, false);
    }

    static UnsupportedOperationException unsupported(String op, Kind k) {
        return new UnsupportedOperationException(op + " is not defined on " + k.name().toLowerCase(java.util.Locale.ROOT) + " elements");
    }
}
