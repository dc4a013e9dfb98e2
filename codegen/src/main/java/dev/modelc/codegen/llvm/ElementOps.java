package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.check.DType;
import dev.modelc.graph.Op.BinaryFn;
import dev.modelc.graph.Op.UnaryFn;
import dev.modelc.loops.LType;
import dev.modelc.runtime.foreign.NativeStatus;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * LLVM instructions for Loop IR element operations, with the reference interpreter's semantics.
 * LLVM's arithmetic acts lane by lane on vectors, so one method serves scalars and vectors; only
 * library calls go lane by lane. Exact operations (+ − × ÷, sqrt, fma, floor, ceil, rint, min,
 * max) run in their own type; the others in double, rounded once, as the interpreter computes
 * them, with libm's functions (so transcendentals agree with the JVM within an ulp of double, not
 * bit for bit). Integers wrap; division and modulo floor, and a zero divisor or a negative integer
 * power records an error in the run's status word (see {@link NativeStatus}).
 */
final class ElementOps {
    private static final double SQRT1_2 = 0.7071067811865476;

    private final Ir ir;
    private final LLVMBuilderRef b;
    private final LLVMValueRef function;
    private final LLVMValueRef status;

    ElementOps(Ir ir, LLVMBuilderRef builder, LLVMValueRef function, LLVMValueRef status) {
        this.ir = ir;
        this.b = builder;
        this.function = function;
        this.status = status;
    }

    // ---- constants ----

    /** An element constant of {@code t} (a splat for vectors), rounded or wrapped to its type. */
    LLVMValueRef constant(LType t, double v) {
        LLVMValueRef scalar;
        if (t instanceof LType.Index) scalar = LLVMConstInt(ir.i64, (long) v, 1);
        else scalar = switch (t.dtype()) {
            case F32 -> LLVMConstReal(ir.f32, (float) v);
            case F64 -> LLVMConstReal(ir.f64, v);
            case I32 -> LLVMConstInt(ir.i32, (int) (long) v, 1);
            case I64 -> LLVMConstInt(ir.i64, (long) v, 1);
            case BOOL -> LLVMConstInt(ir.i1, v != 0 ? 1 : 0, 0);
            case F16, BF16 -> throw new UnsupportedOperationException(t.dtype().toString());
        };
        return t instanceof LType.Vector vt ? constSplat(scalar, vt.lanes()) : scalar;
    }

    private static LLVMValueRef constSplat(LLVMValueRef scalar, int lanes) {
        LLVMValueRef[] all = new LLVMValueRef[lanes];
        java.util.Arrays.fill(all, scalar);
        return LLVMConstVector(Ir.pointers(all), lanes);
    }

    LLVMValueRef splat(LLVMValueRef scalar, int lanes) {
        LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(scalar), lanes);
        LLVMValueRef one = LLVMBuildInsertElement(b, LLVMGetPoison(vt), scalar, LLVMConstInt(ir.i32, 0, 0), "");
        LLVMValueRef mask = LLVMConstNull(LLVMVectorType(ir.i32, lanes));
        return LLVMBuildShuffleVector(b, one, LLVMGetPoison(vt), mask, "");
    }

    // ---- unary ----

    LLVMValueRef unary(UnaryFn fn, LType t, LLVMValueRef a) {
        if (t instanceof LType.Index) return integerUnary(fn, t, a);
        return switch (t.dtype()) {
            case F32, F64 -> floatUnary(fn, t, a);
            case I32, I64 -> integerUnary(fn, t, a);
            case BOOL -> {
                if (fn != UnaryFn.NOT) throw unsupported(fn.mnemonic(), t);
                yield LLVMBuildXor(b, a, constant(t, 1), "");
            }
            case F16, BF16 -> throw unsupported(fn.mnemonic(), t);
        };
    }

    private LLVMValueRef floatUnary(UnaryFn fn, LType t, LLVMValueRef a) {
        return switch (fn) {
            case NEG -> LLVMBuildFNeg(b, a, "");
            case ABS -> intrinsic("llvm.fabs", t, a);
            case SQUARE -> LLVMBuildFMul(b, a, a, "");
            case RELU -> intrinsic("llvm.maximum", t, a, constant(t, 0));
            case SIGN -> {
                // ±1 for nonzero numbers; ±0 and NaN are their own sign, as Math.signum
                LLVMValueRef positive = LLVMBuildFCmp(b, LLVMRealOGT, a, constant(t, 0), "");
                LLVMValueRef negative = LLVMBuildFCmp(b, LLVMRealOLT, a, constant(t, 0), "");
                yield LLVMBuildSelect(b, positive, constant(t, 1), LLVMBuildSelect(b, negative, constant(t, -1), a, ""), "");
            }
            case SQRT -> intrinsic("llvm.sqrt", t, a);
            case FLOOR -> intrinsic("llvm.floor", t, a);
            case CEIL -> intrinsic("llvm.ceil", t, a);
            case ROUND -> intrinsic("llvm.rint", t, a);
            case NOT -> throw unsupported("not", t);
            default -> narrow(t, doubleUnary(fn, widen(t, a), doubles(t), t.dtype() == DType.F32));
        };
    }

    /** {@code fn} in double, for the functions whose f32 result is the double result rounded once. */
    private LLVMValueRef doubleUnary(UnaryFn fn, LLVMValueRef x, LType d, boolean forF32) {
        return switch (fn) {
            case EXP -> exp(d, x, forF32);
            case LOG -> libm("log", d, x);
            case LOG1P -> libm("log1p", d, x);
            case SIN -> libm("sin", d, x);
            case COS -> libm("cos", d, x);
            case TANH -> libm("tanh", d, x);
            case ERF -> libm("erf", d, x);
            case RSQRT -> LLVMBuildFDiv(b, constant(d, 1), intrinsic("llvm.sqrt", d, x), "");
            case SIGMOID -> {
                // exp(-|x|) never overflows: 1 / (1 + e) for x >= 0, e / (1 + e) below, as ElementMath
                LLVMValueRef e = exp(d, LLVMBuildFNeg(b, intrinsic("llvm.fabs", d, x), ""), forF32);
                LLVMValueRef onePlus = LLVMBuildFAdd(b, constant(d, 1), e, "");
                LLVMValueRef nonNegative = LLVMBuildFCmp(b, LLVMRealOGE, x, constant(d, 0), "");
                yield LLVMBuildSelect(b, nonNegative, LLVMBuildFDiv(b, constant(d, 1), onePlus, ""),
                        LLVMBuildFDiv(b, e, onePlus, ""), "");
            }
            case SOFTPLUS -> {
                LLVMValueRef tail = libm("log1p", d, exp(d, LLVMBuildFNeg(b, intrinsic("llvm.fabs", d, x), ""), forF32));
                yield LLVMBuildFAdd(b, intrinsic("llvm.maximum", d, x, constant(d, 0)), tail, "");
            }
            case GELU -> {
                LLVMValueRef phi = libm("erfc", d, LLVMBuildFMul(b, LLVMBuildFNeg(b, x, ""), constant(d, SQRT1_2), ""));
                yield LLVMBuildFMul(b, LLVMBuildFMul(b, constant(d, 0.5), x, ""), phi, "");
            }
            default -> throw new AssertionError(fn);
        };
    }

    /**
     * exp of doubles: libm's, except for vectors of widened f32 values, which take a vectorised
     * exp (below) rather than a libm call per lane: softmax, sigmoid and softplus then run as
     * vector code.
     */
    private LLVMValueRef exp(LType d, LLVMValueRef x, boolean forF32) {
        return forF32 && d instanceof LType.Vector ? vectorExp(d, x) : libm("exp", d, x);
    }

    /** 1/n! for n = 0..13: the Taylor series of exp, whose 14th term is below 2^-60 where it is used. */
    private static final double[] EXP_TERMS = expTerms();

    private static double[] expTerms() {
        double[] c = new double[14];
        double factorial = 1;
        for (int n = 0; n < c.length; n++) {
            if (n > 0) factorial *= n;
            c[n] = 1 / factorial;
        }
        return c;
    }

    /**
     * exp in double lanes, accurate to a few ulps of double, for values that are then rounded to
     * f32: there it gives the f32 that Math.exp rounded gives except when exp(x) lies within about
     * 1e-16 (relative) of the midpoint between two floats. x is clamped to [-120, 100] (the f32
     * results there are already 0 and infinity; NaN stays NaN), cut as k*ln2 + r with |r| <= ln2/2
     * (Cody and Waite: ln2 in two parts, so r is exact), exp(r) is its Taylor polynomial by
     * Horner's rule with FMAs, and 2^k is put together from its exponent bits.
     */
    private LLVMValueRef vectorExp(LType d, LLVMValueRef x) {
        final double ln2Hi = 0.6931471805599453, ln2Lo = 2.3190468138462996e-17;
        LLVMValueRef clamped = intrinsic("llvm.minimum", d, intrinsic("llvm.maximum", d, x, constant(d, -120)), constant(d, 100));
        LLVMValueRef k = intrinsic("llvm.rint", d, LLVMBuildFMul(b, clamped, constant(d, 1.4426950408889634), ""));
        LLVMValueRef r = intrinsic("llvm.fma", d, k, constant(d, -ln2Hi), clamped);
        r = intrinsic("llvm.fma", d, k, constant(d, -ln2Lo), r);
        LLVMValueRef p = constant(d, EXP_TERMS[EXP_TERMS.length - 1]);
        for (int n = EXP_TERMS.length - 2; n >= 0; n--) p = intrinsic("llvm.fma", d, p, r, constant(d, EXP_TERMS[n]));
        LType bits = new LType.Vector(DType.I64, d.lanes());
        LLVMValueRef kInt = intrinsic("llvm.fptosi.sat." + Ir.suffix(bits) + "." + Ir.suffix(d), ir.type(bits), k);
        LLVMValueRef exponent = LLVMBuildShl(b, LLVMBuildAdd(b, kInt, constant(bits, 1023), ""), constant(bits, 52), "");
        return LLVMBuildFMul(b, p, LLVMBuildBitCast(b, exponent, ir.type(d), ""), "");
    }

    private LLVMValueRef integerUnary(UnaryFn fn, LType t, LLVMValueRef a) {
        return switch (fn) {
            case NEG -> LLVMBuildSub(b, constant(t, 0), a, "");
            case ABS -> intrinsic("llvm.abs", t, a, LLVMConstInt(ir.i1, 0, 0)); // abs(MIN) wraps to MIN, as Java's
            case SIGN -> intrinsic("llvm.smax", t, intrinsic("llvm.smin", t, a, constant(t, 1)), constant(t, -1));
            case SQUARE -> LLVMBuildMul(b, a, a, "");
            case RELU -> intrinsic("llvm.smax", t, a, constant(t, 0));
            case FLOOR, CEIL, ROUND -> a;
            default -> throw unsupported(fn.mnemonic(), t);
        };
    }

    // ---- binary ----

    /** {@code a fn b} on operands of type {@code t} (the operands', not the result's: comparisons give bool). */
    LLVMValueRef binary(BinaryFn fn, LType t, LLVMValueRef a, LLVMValueRef c) {
        if (fn.isComparison()) return compare(fn, t, a, c);
        boolean bool = !(t instanceof LType.Index) && t.dtype() == DType.BOOL;
        if (fn.isLogical() != bool) throw unsupported(fn.mnemonic(), t);
        if (bool) return fn == BinaryFn.AND ? LLVMBuildAnd(b, a, c, "") : LLVMBuildOr(b, a, c, "");
        boolean index = t instanceof LType.Index;
        if (!index && t.dtype().isFloat()) return floatBinary(fn, t, a, c);
        return switch (fn) {
            // index arithmetic stays in range (offsets of buffers that exist), which nsw tells LLVM
            case ADD -> index ? LLVMBuildNSWAdd(b, a, c, "") : LLVMBuildAdd(b, a, c, "");
            case SUB -> index ? LLVMBuildNSWSub(b, a, c, "") : LLVMBuildSub(b, a, c, "");
            case MUL -> index ? LLVMBuildNSWMul(b, a, c, "") : LLVMBuildMul(b, a, c, "");
            case DIV -> floorDivide(t, a, c, false);
            case MOD -> floorDivide(t, a, c, true);
            case MAX -> intrinsic("llvm.smax", t, a, c);
            case MIN -> intrinsic("llvm.smin", t, a, c);
            case POW -> integerPower(t, a, c);
            default -> throw new AssertionError(fn);
        };
    }

    private LLVMValueRef floatBinary(BinaryFn fn, LType t, LLVMValueRef a, LLVMValueRef c) {
        return switch (fn) {
            case ADD -> LLVMBuildFAdd(b, a, c, "");
            case SUB -> LLVMBuildFSub(b, a, c, "");
            case MUL -> LLVMBuildFMul(b, a, c, "");
            case DIV -> LLVMBuildFDiv(b, a, c, "");
            // Math.max/min: NaN wins, and +0 is above -0
            case MAX -> intrinsic("llvm.maximum", t, a, c);
            case MIN -> intrinsic("llvm.minimum", t, a, c);
            case POW -> {
                // C's pow, which is what ElementMath.pow keeps Math.pow to
                LType d = doubles(t);
                yield narrow(t, libm("pow", d, widen(t, a), widen(t, c)));
            }
            case MOD -> {
                LType d = doubles(t);
                yield narrow(t, pythonModulo(d, widen(t, a), widen(t, c)));
            }
            default -> throw new AssertionError(fn);
        };
    }

    /** Python's float %, as ElementMath.mod: the remainder takes the divisor's sign, a zero too. */
    private LLVMValueRef pythonModulo(LType d, LLVMValueRef a, LLVMValueRef c) {
        LLVMValueRef r = LLVMBuildFRem(b, a, c, "");
        LLVMValueRef zero = LLVMBuildFCmp(b, LLVMRealOEQ, r, constant(d, 0), "");
        LLVMValueRef signedZero = intrinsic("llvm.copysign", d, constant(d, 0), c);
        LLVMValueRef wrongSide = LLVMBuildXor(b, LLVMBuildFCmp(b, LLVMRealOLT, r, constant(d, 0), ""),
                LLVMBuildFCmp(b, LLVMRealOLT, c, constant(d, 0), ""), "");
        LLVMValueRef moved = LLVMBuildSelect(b, wrongSide, LLVMBuildFAdd(b, r, c, ""), r, "");
        return LLVMBuildSelect(b, zero, signedZero, moved, "");
    }

    /**
     * Floor division (or modulo) of integers, as Math.floorDiv/floorMod: MIN / -1 wraps to MIN
     * (LLVM's sdiv would trap) and a zero divisor records {@link Status#DIVISION_BY_ZERO}.
     */
    private LLVMValueRef floorDivide(LType t, LLVMValueRef a, LLVMValueRef c, boolean modulo) {
        LLVMValueRef isZero = LLVMBuildICmp(b, LLVMIntEQ, c, constant(t, 0), "");
        LLVMValueRef isMinusOne = LLVMBuildICmp(b, LLVMIntEQ, c, constant(t, -1), "");
        fail(isZero, t, NativeStatus.DIVISION_BY_ZERO);
        LLVMValueRef safe = LLVMBuildSelect(b, LLVMBuildOr(b, isZero, isMinusOne, ""), constant(t, 1), c, "");
        LLVMValueRef q = LLVMBuildSDiv(b, a, safe, "");
        LLVMValueRef r = LLVMBuildSRem(b, a, safe, "");
        // the truncated quotient is one too high when the remainder is nonzero and signs differ
        LLVMValueRef adjust = LLVMBuildAnd(b, LLVMBuildICmp(b, LLVMIntNE, r, constant(t, 0), ""),
                LLVMBuildICmp(b, LLVMIntSLT, LLVMBuildXor(b, r, safe, ""), constant(t, 0), ""), "");
        if (modulo) {
            LLVMValueRef m = LLVMBuildAdd(b, r, LLVMBuildSelect(b, adjust, safe, constant(t, 0), ""), "");
            return LLVMBuildSelect(b, isMinusOne, constant(t, 0), m, "");
        }
        LLVMValueRef floored = LLVMBuildAdd(b, q, LLVMBuildSExt(b, adjust, LLVMTypeOf(q), ""), "");
        return LLVMBuildSelect(b, isMinusOne, LLVMBuildSub(b, constant(t, 0), a, ""), floored, "");
    }

    /** ElementMath.powInt lane by lane (in i64, narrowed for i32); a negative exponent records an error. */
    private LLVMValueRef integerPower(LType t, LLVMValueRef a, LLVMValueRef c) {
        fail(LLVMBuildICmp(b, LLVMIntSLT, c, constant(t, 0), ""), t, NativeStatus.NEGATIVE_POWER);
        LLVMValueRef power = ir.declared("modelc.powi64") != null ? ir.declared("modelc.powi64") : definePowi64();
        LLVMTypeRef type = ir.declaredType("modelc.powi64");
        return laneByLane(t, LType.INDEX, lanes -> {
            LLVMValueRef base = widenInteger(t, lanes[0]), exponent = widenInteger(t, lanes[1]);
            LLVMValueRef r = LLVMBuildCall2(b, type, power, Ir.pointers(base, exponent), 2, "");
            return LLVMTypeOf(lanes[0]).equals(ir.i64) ? r : LLVMBuildTrunc(b, r, LLVMTypeOf(lanes[0]), "");
        }, a, c);
    }

    private LLVMValueRef widenInteger(LType t, LLVMValueRef v) {
        return LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMIntegerTypeKind && LLVMGetIntTypeWidth(LLVMTypeOf(v)) == 64 ? v
                : LLVMBuildSExt(b, v, ir.i64, "");
    }

    /** {@code i64 modelc.powi64(i64 base, i64 exponent)}: exponentiation by squaring (exponent ≥ 0). */
    private LLVMValueRef definePowi64() {
        LLVMValueRef f = ir.declare("modelc.powi64", ir.i64, ir.i64, ir.i64);
        LLVMSetLinkage(f, LLVMInternalLinkage);
        LLVMBuilderRef fb = LLVMCreateBuilderInContext(ir.context);
        try {
            LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(ir.context, f, "entry");
            LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(ir.context, f, "loop");
            LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(ir.context, f, "done");
            LLVMPositionBuilderAtEnd(fb, entry);
            LLVMBuildBr(fb, loop);
            LLVMPositionBuilderAtEnd(fb, loop);
            LLVMValueRef result = LLVMBuildPhi(fb, ir.i64, "result");
            LLVMValueRef base = LLVMBuildPhi(fb, ir.i64, "base");
            LLVMValueRef exponent = LLVMBuildPhi(fb, ir.i64, "exponent");
            LLVMValueRef odd = LLVMBuildTrunc(fb, exponent, ir.i1, "");
            LLVMValueRef nextResult = LLVMBuildSelect(fb, odd, LLVMBuildMul(fb, result, base, ""), result, "");
            LLVMValueRef nextBase = LLVMBuildMul(fb, base, base, "");
            LLVMValueRef nextExponent = LLVMBuildLShr(fb, exponent, LLVMConstInt(ir.i64, 1, 0), "");
            LLVMValueRef more = LLVMBuildICmp(fb, LLVMIntNE, nextExponent, LLVMConstInt(ir.i64, 0, 0), "");
            LLVMBuildCondBr(fb, more, loop, done);
            LLVMAddIncoming(result, Ir.pointers(LLVMConstInt(ir.i64, 1, 0), nextResult), Ir.blocks(entry, loop), 2);
            LLVMAddIncoming(base, Ir.pointers(LLVMGetParam(f, 0), nextBase), Ir.blocks(entry, loop), 2);
            LLVMAddIncoming(exponent, Ir.pointers(LLVMGetParam(f, 1), nextExponent), Ir.blocks(entry, loop), 2);
            LLVMPositionBuilderAtEnd(fb, done);
            // exponent 0 leaves the loop after one pass with result 1 (odd is false)
            LLVMBuildRet(fb, nextResult);
        } finally {
            LLVMDisposeBuilder(fb);
        }
        return f;
    }

    /** Comparisons: IEEE for floats (only != holds for NaN), signed for integers, false < true for bools. */
    private LLVMValueRef compare(BinaryFn fn, LType t, LLVMValueRef a, LLVMValueRef c) {
        boolean index = t instanceof LType.Index;
        if (!index && t.dtype().isFloat()) {
            int p = switch (fn) {
                case LT -> LLVMRealOLT;
                case LE -> LLVMRealOLE;
                case GT -> LLVMRealOGT;
                case GE -> LLVMRealOGE;
                case EQ -> LLVMRealOEQ;
                case NE -> LLVMRealUNE;
                default -> throw new AssertionError(fn);
            };
            return LLVMBuildFCmp(b, p, a, c, "");
        }
        boolean unsigned = !index && t.dtype() == DType.BOOL;
        int p = switch (fn) {
            case LT -> unsigned ? LLVMIntULT : LLVMIntSLT;
            case LE -> unsigned ? LLVMIntULE : LLVMIntSLE;
            case GT -> unsigned ? LLVMIntUGT : LLVMIntSGT;
            case GE -> unsigned ? LLVMIntUGE : LLVMIntSGE;
            case EQ -> LLVMIntEQ;
            case NE -> LLVMIntNE;
            default -> throw new AssertionError(fn);
        };
        return LLVMBuildICmp(b, p, a, c, "");
    }

    // ---- the rest ----

    /** {@code a * b + c}: one rounding for floats, wrapping for integers. */
    LLVMValueRef fma(LType t, LLVMValueRef a, LLVMValueRef c, LLVMValueRef d) {
        if (!(t instanceof LType.Index) && t.dtype().isFloat()) return intrinsic("llvm.fma", t, a, c, d);
        return LLVMBuildAdd(b, LLVMBuildMul(b, a, c, ""), d, "");
    }

    /** The interpreter's convert: saturating float to integer (NaN to 0), {@code != 0} to bool, 0/1 from bool. */
    LLVMValueRef cast(LType from, LType to, LLVMValueRef a) {
        DType f = from instanceof LType.Index ? DType.I64 : from.dtype();
        DType t = to instanceof LType.Index ? DType.I64 : to.dtype();
        LLVMTypeRef target = ir.type(to);
        if (f == t) return a;
        if (t == DType.BOOL) {
            return f.isFloat() ? LLVMBuildFCmp(b, LLVMRealUNE, a, constant(from, 0), "")
                    : LLVMBuildICmp(b, LLVMIntNE, a, constant(from, 0), "");
        }
        if (f == DType.BOOL) return t.isFloat() ? LLVMBuildUIToFP(b, a, target, "") : LLVMBuildZExt(b, a, target, "");
        if (f.isFloat() && t.isFloat()) return t == DType.F64 ? LLVMBuildFPExt(b, a, target, "") : LLVMBuildFPTrunc(b, a, target, "");
        if (f.isFloat()) return intrinsic("llvm.fptosi.sat." + Ir.suffix(to) + "." + Ir.suffix(from), target, a);
        if (t.isFloat()) return LLVMBuildSIToFP(b, a, target, "");
        return t == DType.I64 ? LLVMBuildSExt(b, a, target, "") : LLVMBuildTrunc(b, a, target, "");
    }

    // ---- helpers ----

    /** A vector type's lanes as doubles, or double for a scalar. */
    private static LType doubles(LType t) {
        return t instanceof LType.Vector v ? new LType.Vector(DType.F64, v.lanes()) : LType.scalar(DType.F64);
    }

    private LLVMValueRef widen(LType t, LLVMValueRef v) {
        return t.dtype() == DType.F64 ? v : LLVMBuildFPExt(b, v, ir.type(doubles(t)), "");
    }

    private LLVMValueRef narrow(LType t, LLVMValueRef v) {
        return t.dtype() == DType.F64 ? v : LLVMBuildFPTrunc(b, v, ir.type(t), "");
    }

    /** A call of an overloaded intrinsic such as {@code llvm.fma} on operands of type {@code t}. */
    LLVMValueRef intrinsic(String name, LType t, LLVMValueRef... args) {
        return intrinsic(name + "." + Ir.suffix(t), ir.type(t), args);
    }

    private LLVMValueRef intrinsic(String fullName, LLVMTypeRef result, LLVMValueRef... args) {
        LLVMTypeRef[] params = new LLVMTypeRef[args.length];
        for (int i = 0; i < args.length; i++) params[i] = LLVMTypeOf(args[i]);
        LLVMValueRef f = ir.declare(fullName, result, params);
        return LLVMBuildCall2(b, ir.declaredType(fullName), f, Ir.pointers(args), args.length, "");
    }

    /** A libm function of doubles, lane by lane for vectors. */
    private LLVMValueRef libm(String function, LType d, LLVMValueRef... args) {
        String name = ir.mathPrefix + function;
        LLVMTypeRef[] params = new LLVMTypeRef[args.length];
        java.util.Arrays.fill(params, ir.f64);
        LLVMValueRef f = ir.declare(name, ir.f64, params);
        LLVMTypeRef type = ir.declaredType(name);
        return laneByLane(d, d, lanes -> LLVMBuildCall2(b, type, f, Ir.pointers(lanes), lanes.length, ""), args);
    }

    private interface LaneOp {
        LLVMValueRef apply(LLVMValueRef[] lanes);
    }

    /** {@code op} on each lane of the operands (or once on scalars), giving a value of {@code result}'s lanes. */
    private LLVMValueRef laneByLane(LType operands, LType result, LaneOp op, LLVMValueRef... args) {
        if (!(operands instanceof LType.Vector v)) return op.apply(args);
        LLVMValueRef out = null;
        for (int lane = 0; lane < v.lanes(); lane++) {
            LLVMValueRef at = LLVMConstInt(ir.i32, lane, 0);
            LLVMValueRef[] lanes = new LLVMValueRef[args.length];
            for (int i = 0; i < args.length; i++) lanes[i] = LLVMBuildExtractElement(b, args[i], at, "");
            LLVMValueRef r = op.apply(lanes);
            if (out == null) out = LLVMGetPoison(LLVMVectorType(LLVMTypeOf(r), v.lanes()));
            out = LLVMBuildInsertElement(b, out, r, at, "");
        }
        return out;
    }

    /** Records {@code code} in the status word where {@code condition} holds (in any lane). */
    private void fail(LLVMValueRef condition, LType t, int code) {
        if (LLVMIsConstant(condition) != 0 && LLVMIsNull(condition) != 0) return;
        LLVMValueRef any = condition;
        if (t instanceof LType.Vector v) {
            String name = "llvm.vector.reduce.or.v" + v.lanes() + "i1";
            LLVMValueRef reduce = ir.declare(name, ir.i1, LLVMTypeOf(condition));
            any = LLVMBuildCall2(b, ir.declaredType(name), reduce, Ir.pointers(condition), 1, "");
        }
        LLVMBasicBlockRef bad = LLVMAppendBasicBlockInContext(ir.context, function, "error");
        LLVMBasicBlockRef ok = LLVMAppendBasicBlockInContext(ir.context, function, "ok");
        LLVMBuildCondBr(b, any, bad, ok);
        LLVMPositionBuilderAtEnd(b, bad);
        LLVMBuildStore(b, LLVMConstInt(ir.i32, code, 0), status);
        LLVMBuildBr(b, ok);
        LLVMPositionBuilderAtEnd(b, ok);
    }

    static UnsupportedOperationException unsupported(String op, LType t) {
        return new UnsupportedOperationException(op + " is not defined on " + t + " values");
    }
}
