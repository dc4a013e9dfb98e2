package dev.modelc.cli;

import dev.modelc.Frontend;
import dev.modelc.api.Backend;
import dev.modelc.api.CompiledModel;
import dev.modelc.api.ModelCompiler;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** What the commands that run models share: compiling with diagnostics shown once, choosing a backend, reading tensors. */
final class ModelLoading {
    private ModelLoading() {}

    /** Compiles and lowers {@code file}, printing its diagnostics (warnings too) once; errors end the command. */
    static CompiledModel compile(Path file, Backend backend, PrintWriter err) {
        return compile(Frontend.create(), file, backend, err);
    }

    static CompiledModel compile(Frontend frontend, Path file, Backend backend, PrintWriter err) {
        var compilation = lowered(frontend, file, err);
        try {
            return ModelCompiler.compile(compilation, backend, null);
        } catch (dev.modelc.api.CompileException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }

    /** Runs the front end and lowering on {@code file}, printing its diagnostics once; errors end the command. */
    static dev.modelc.Compilation lowered(Frontend frontend, Path file, PrintWriter err) {
        var compilation = frontend.compile(file).lower();
        String diagnostics = compilation.renderDiagnostics();
        if (!diagnostics.isEmpty()) {
            err.print(diagnostics);
            err.flush();
        }
        if (compilation.hasErrors()) throw UserError.reported();
        return compilation;
    }

    /** The backend asked for, or the fastest one this build has when none was named. */
    static Backend backend(BackendName name) {
        if (name == null) {
            // llvm before jvm: the same kernels without JIT warm-up (mnist_cnn's first epoch ~5x faster).
            // cuda is never chosen unasked: its kernels are not yet tuned for, nor measured on, a GPU
            return Arrays.stream(new Backend[] {Backend.LLVM, Backend.JVM, Backend.INTERP})
                    .filter(Backend::available).findFirst().orElseThrow();
        }
        var backend = Backend.valueOf(name.name());
        if (backend == Backend.JVM && !backend.available()) {
            throw new UserError("the jvm backend needs the Vector API: run java with --add-modules jdk.incubator.vector (the modelc launcher does)");
        }
        if (backend == Backend.CUDA && !backend.available()) {
            throw new UserError(backend.unavailableReason() + "; use --backend llvm, jvm or interp");
        }
        if (!backend.available()) {
            throw new UserError("the " + backend + " backend is not available in this build or on this machine; use --backend jvm or interp");
        }
        return backend;
    }

    static Tensor readNpy(Path path, String what) {
        try {
            return Npy.read(path);
        } catch (NoSuchFileException e) {
            throw new UserError(what + ": no such file " + path);
        } catch (TensorFormatException e) {
            throw new UserError(what + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserError(what + ": cannot read " + path + ": " + e.getMessage());
        }
    }
}
