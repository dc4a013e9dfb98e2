package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.check.DType;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** The runtime's {@code CounterRandom} in LLVM instructions, so that native dropout draws the same masks. */
final class RandomBits {
    private RandomBits() {}

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /**
     * {@code CounterRandom.uniformFloat} (or {@code uniformDouble} for f64) of three integers
     * taken as longs: indices and i64 elements as they are, i32 elements sign-extended and bools
     * as 0 or 1, as the JVM backend converts them.
     */
    static LLVMValueRef uniform(Ir ir, LLVMBuilderRef b, LLVMValueRef key, LLVMValueRef stream, LLVMValueRef index, DType t) {
        key = toLong(ir, b, key);
        stream = toLong(ir, b, stream);
        index = toLong(ir, b, index);
        LLVMValueRef golden = c(ir, GOLDEN);
        LLVMValueRef base = mix(ir, b, LLVMBuildAdd(b, LLVMBuildMul(b, key, golden, ""), mix(ir, b, LLVMBuildAdd(b, stream, golden, "")), ""));
        LLVMValueRef next = LLVMBuildMul(b, LLVMBuildAdd(b, index, c(ir, 1), ""), golden, "");
        LLVMValueRef bits = mix(ir, b, LLVMBuildAdd(b, base, next, ""));
        // the top 24 (or 53) bits, exact in the float type, scaled into [0, 1)
        boolean single = t == DType.F32;
        LLVMValueRef top = LLVMBuildLShr(b, bits, c(ir, single ? 40 : 11), "");
        var type = single ? ir.f32 : ir.f64;
        return LLVMBuildFMul(b, LLVMBuildUIToFP(b, top, type, ""), LLVMConstReal(type, single ? 0x1.0p-24 : 0x1.0p-53), "");
    }

    private static LLVMValueRef toLong(Ir ir, LLVMBuilderRef b, LLVMValueRef v) {
        LLVMTypeRef type = LLVMTypeOf(v);
        if (LLVMGetTypeKind(type) != LLVMIntegerTypeKind) {
            throw new IllegalArgumentException("random_uniform takes integer key, stream and index, not " + print(type));
        }
        int bits = LLVMGetIntTypeWidth(type);
        if (bits == 64) return v;
        return bits == 1 ? LLVMBuildZExt(b, v, ir.i64, "") : LLVMBuildSExt(b, v, ir.i64, "");
    }

    private static String print(LLVMTypeRef type) {
        var text = LLVMPrintTypeToString(type);
        String s = text.getString();
        LLVMDisposeMessage(text);
        return s;
    }

    /** SplitMix64's finaliser. */
    private static LLVMValueRef mix(Ir ir, LLVMBuilderRef b, LLVMValueRef z) {
        z = LLVMBuildMul(b, LLVMBuildXor(b, z, LLVMBuildLShr(b, z, c(ir, 30), ""), ""), c(ir, 0xBF58476D1CE4E5B9L), "");
        z = LLVMBuildMul(b, LLVMBuildXor(b, z, LLVMBuildLShr(b, z, c(ir, 27), ""), ""), c(ir, 0x94D049BB133111EBL), "");
        return LLVMBuildXor(b, z, LLVMBuildLShr(b, z, c(ir, 31), ""), "");
    }

    private static LLVMValueRef c(Ir ir, long v) { return LLVMConstInt(ir.i64, v, 1); }
}
