package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Loads LLVM's native library (unpacked by JavaCPP into {@code ~/.javacpp/cache} on first use)
 * and registers the targets modelc writes code for: the host (x86-64), AArch64 for cross
 * compiling, and NVPTX for GPUs. Once per JVM.
 */
final class LlvmNatives {
    private LlvmNatives() {}

    private static volatile boolean loaded;
    private static long loadNanos;

    static void load() {
        if (loaded) return;
        synchronized (LlvmNatives.class) {
            if (loaded) return;
            long start = System.nanoTime();
            LLVMInitializeNativeTarget();
            LLVMInitializeNativeAsmPrinter();
            LLVMInitializeAArch64TargetInfo();
            LLVMInitializeAArch64Target();
            LLVMInitializeAArch64TargetMC();
            LLVMInitializeAArch64AsmPrinter();
            LLVMInitializeNVPTXTargetInfo();
            LLVMInitializeNVPTXTarget();
            LLVMInitializeNVPTXTargetMC();
            LLVMInitializeNVPTXAsmPrinter();
            loadNanos = System.nanoTime() - start;
            loaded = true;
        }
    }

    /** How long loading took, in nanoseconds (0 before). */
    static long loadNanos() { return loadNanos; }
}
