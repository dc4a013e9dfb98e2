package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.check.DType;
import dev.modelc.loops.LType;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * One LLVM module being written, with its context: the Loop IR types as LLVM types, and the
 * functions every kernel may call (intrinsics and libm), declared once on first use.
 */
final class Ir {
    final LLVMContextRef context;
    final LLVMModuleRef module;
    final LLVMTypeRef i1, i8, i32, i64, f32, f64, ptr, voidType;
    private final Map<String, LLVMValueRef> declared = new HashMap<>();
    private final Map<String, LLVMTypeRef> declaredTypes = new HashMap<>();

    /**
     * What the double-precision math functions (exp, log, …) are called in this module: libm's
     * names on a CPU, libdevice's ({@code __nv_exp}, …) on NVPTX.
     */
    final String mathPrefix;

    Ir(LLVMContextRef context, String name) { this(context, name, ""); }

    Ir(LLVMContextRef context, String name, String mathPrefix) {
        this.context = context;
        this.mathPrefix = mathPrefix;
        this.module = LLVMModuleCreateWithNameInContext(name, context);
        i1 = LLVMInt1TypeInContext(context);
        i8 = LLVMInt8TypeInContext(context);
        i32 = LLVMInt32TypeInContext(context);
        i64 = LLVMInt64TypeInContext(context);
        f32 = LLVMFloatTypeInContext(context);
        f64 = LLVMDoubleTypeInContext(context);
        ptr = LLVMPointerTypeInContext(context, 0);
        voidType = LLVMVoidTypeInContext(context);
    }

    /** A register value of {@code t}: indices are i64, bools i1. */
    LLVMTypeRef type(LType t) {
        return switch (t) {
            case LType.Index i -> i64;
            case LType.Scalar s -> element(s.dtype());
            case LType.Vector v -> LLVMVectorType(element(v.dtype()), v.lanes());
        };
    }

    LLVMTypeRef element(DType t) {
        return switch (t) {
            case F32 -> f32;
            case F64 -> f64;
            case I32 -> i32;
            case I64 -> i64;
            case BOOL -> i1;
            case F16, BF16 -> throw new UnsupportedOperationException("the llvm backend does not support " + t + " yet");
        };
    }

    /** How {@code t} is stored in a buffer: a bool is a byte 0 or 1. */
    LLVMTypeRef memory(DType t) { return t == DType.BOOL ? i8 : element(t); }

    /** The memory type of {@code t}'s lanes: a vector of bytes for bools. */
    LLVMTypeRef memory(LType t) {
        LLVMTypeRef e = t instanceof LType.Index ? i64 : memory(t.dtype());
        return t instanceof LType.Vector v ? LLVMVectorType(e, v.lanes()) : e;
    }

    /** The overload suffix LLVM's intrinsic names use for {@code t}: {@code f32}, {@code v8f32}, {@code i64}. */
    static String suffix(LType t) {
        String e = t instanceof LType.Index ? "i64" : switch (t.dtype()) {
            case F32 -> "f32";
            case F64 -> "f64";
            case I32 -> "i32";
            case I64 -> "i64";
            case BOOL -> "i1";
            case F16, BF16 -> throw new UnsupportedOperationException(t.dtype().toString());
        };
        return t instanceof LType.Vector v ? "v" + v.lanes() + e : e;
    }

    LLVMTypeRef functionType(LLVMTypeRef result, LLVMTypeRef... params) {
        return LLVMFunctionType(result, pointers(params), params.length, 0);
    }

    /** A function declared (not defined) in this module, by name; the same declaration on every call. */
    LLVMValueRef declare(String name, LLVMTypeRef result, LLVMTypeRef... params) {
        LLVMValueRef f = declared.get(name);
        if (f == null) {
            LLVMTypeRef type = functionType(result, params);
            f = LLVMAddFunction(module, name, type);
            declared.put(name, f);
            declaredTypes.put(name, type);
        }
        return f;
    }

    LLVMTypeRef declaredType(String name) { return declaredTypes.get(name); }

    /** The function of that name declared so far, or null. */
    LLVMValueRef declared(String name) { return declared.get(name); }

    /** An enum attribute such as {@code noalias} or {@code alwaysinline}. */
    void attribute(LLVMValueRef function, int index, String name) {
        int kind = LLVMGetEnumAttributeKindForName(name, name.length());
        if (kind == 0) throw new IllegalStateException("LLVM has no attribute " + name);
        LLVMAddAttributeAtIndex(function, index, LLVMCreateEnumAttribute(context, kind, 0));
    }

    /**
     * A JavaCPP array of pointers. Always built from an array: {@code new PointerPointer<>(x)}
     * with one non-array argument is a cast, not a one-element array, and crashes inside LLVM.
     */
    static PointerPointer<Pointer> pointers(Pointer... values) { return new PointerPointer<>(values); }

    static PointerPointer<Pointer> blocks(org.bytedeco.llvm.LLVM.LLVMBasicBlockRef... blocks) { return new PointerPointer<>(blocks); }
}
