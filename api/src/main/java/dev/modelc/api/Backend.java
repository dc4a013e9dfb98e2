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
            // LLVM's natives come for linux-x86_64 only (the build pulls just that classifier)
            case LLVM -> isLinuxX86() && present("org.bytedeco.llvm.global.LLVM");
            // a GPU with its driver, or the simulated one (-Dmodelc.cuda.simulate=true)
            case CUDA -> CudaPrograms.available();
        };
    }

    /** Why this backend cannot run here, in one line, or null when it can. */
    public String unavailableReason() {
        if (available()) return null;
        return switch (this) {
            case INTERP -> null;
            case JVM -> JVM_UNAVAILABLE;
            case LLVM -> "the llvm backend needs LLVM's natives, which this build has for linux-x86_64 only";
            case CUDA -> CudaPrograms.unavailable();
        };
    }

    private static boolean isLinuxX86() {
        String arch = System.getProperty("os.arch", "");
        return System.getProperty("os.name", "").startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Backend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static final String JVM_UNAVAILABLE = "the jvm backend needs the Vector API: start java with --add-modules jdk.incubator.vector";

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
