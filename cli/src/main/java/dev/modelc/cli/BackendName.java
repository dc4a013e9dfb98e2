package dev.modelc.cli;

import java.util.Locale;

/** A backend as named on the command line ({@code --backend}). */
enum BackendName {
    INTERP, JVM, LLVM, CUDA;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
