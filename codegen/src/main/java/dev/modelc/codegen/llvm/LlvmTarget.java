package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

/**
 * What code is generated for: an LLVM target triple, a CPU name and its extra features. In
 * process the host's own CPU and features ({@link #host()}); objects shipped elsewhere get a
 * pinned baseline ({@link #SHIPPED_CPU}) so that they never die with SIGILL on an older machine.
 */
public record LlvmTarget(String triple, String cpu, String features) {
    /** The baseline for ahead-of-time objects: AVX2 and FMA, which every x86-64 build machine here has. */
    public static final String SHIPPED_CPU = "x86-64-v3";

    public static final String AARCH64_TRIPLE = "aarch64-unknown-linux-gnu";

    /** This machine's triple, CPU and features, as LLVM detects them. */
    public static LlvmTarget host() {
        LlvmNatives.load();
        return new LlvmTarget(take(LLVMGetDefaultTargetTriple()), take(LLVMGetHostCPUName()), take(LLVMGetHostCPUFeatures()));
    }

    /**
     * This machine's triple with a named CPU ({@code x86-64-v3}, {@code znver3}, {@code generic},
     * or {@code native} for {@link #host()}), or an aarch64 target for {@code aarch64:CPU}.
     */
    public static LlvmTarget named(String cpu) {
        if (cpu == null || cpu.equals("native")) return host();
        LlvmNatives.load();
        if (cpu.startsWith("aarch64")) {
            String rest = cpu.length() > "aarch64".length() ? cpu.substring("aarch64:".length()) : "generic";
            return new LlvmTarget(AARCH64_TRIPLE, rest, "");
        }
        return new LlvmTarget(take(LLVMGetDefaultTargetTriple()), cpu, "");
    }

    /** A target machine for this target at -O3, position-independent (for shared libraries and the JIT alike). */
    LLVMTargetMachineRef machine() {
        LlvmNatives.load();
        var target = new LLVMTargetRef();
        var error = new BytePointer();
        if (LLVMGetTargetFromTriple(new BytePointer(triple), target, error) != 0) {
            String message = error.getString();
            LLVMDisposeMessage(error);
            throw new IllegalArgumentException("LLVM has no target for " + triple + ": " + message);
        }
        LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelAggressive, LLVMRelocPIC,
                LLVMCodeModelDefault);
        if (tm == null || tm.isNull()) throw new IllegalArgumentException("LLVM cannot make a target machine for " + this);
        return tm;
    }

    /** A one-line description for cache keys and messages. */
    @Override
    public String toString() { return triple + " " + cpu + (features.isEmpty() ? "" : " " + features); }

    private static String take(BytePointer p) {
        String s = p.getString();
        LLVMDisposeMessage(p);
        return s;
    }
}
