package dev.modelc.api;

import java.util.Locale;

/** Where a compiled model runs. */
public enum Backend {
    /** The reference interpreter over Graph IR: exact and slow; the oracle for the others. */
    INTERP,
    /** Fused kernels as JVM bytecode. */
    JVM,
    /** Native code through LLVM, in process. */
    LLVM,
    /** PTX on an NVIDIA GPU through the CUDA driver. */
    CUDA;

    /** Whether this build, in this JVM, can run models on this backend. */
    public boolean available() {
        return switch (this) {
            case INTERP -> true;
            // the generated code calls the Vector API, an incubator module the JVM must be started with
            case JVM -> ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            case LLVM, CUDA -> false;
        };
    }

    static final String JVM_UNAVAILABLE = "the jvm backend needs the Vector API: start java with --add-modules jdk.incubator.vector";

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
