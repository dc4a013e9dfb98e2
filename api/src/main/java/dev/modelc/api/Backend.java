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

    /** Whether this build can run models on this backend. */
    public boolean available() { return this == INTERP; }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
