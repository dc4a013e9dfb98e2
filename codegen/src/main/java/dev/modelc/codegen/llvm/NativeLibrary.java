package dev.modelc.codegen.llvm;

import dev.modelc.check.TypedModel;
import dev.modelc.graph.GraphModule;
import dev.modelc.runtime.io.AtomicFileWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ahead-of-time native library ({@code modelc compile FILE --target llvm-cpu -o DIR}): into
 * DIR, the kernels of every entry as one object file ({@code <model>.o}, for the chosen CPU; by
 * default {@link LlvmTarget#SHIPPED_CPU}), the C header ({@code <model>.h}), the C sources of the
 * API and of the native runtime ({@code <model>_api.c}, {@code modelc_rt.c}, {@code modelc_rt.h}),
 * and, for a target this machine's C compiler can link, the shared library {@code lib<model>.so}
 * built from them with {@code cc}. For another architecture (e.g. {@code --cpu aarch64}) the
 * object and sources are written for the user's cross compiler.
 */
public final class NativeLibrary {
    private NativeLibrary() {}

    /** What was written. {@code sharedLibrary} is null when none was linked, with the reason in {@code note}. */
    public record Written(String cName, Path object, Path header, Path sharedLibrary, String note) {}

    public static Written write(TypedModel typed, GraphModule graphs, Path dir, LlvmTarget target, String modelcVersion) throws IOException {
        var model = NativeModel.of(typed, graphs);
        String c = model.cName();
        Files.createDirectories(dir);
        var units = new ArrayList<LlvmCompiler.Unit>();
        for (var e : model.entries()) units.add(new LlvmCompiler.Unit(e.program(), CApi.entrySymbol(model, e), false));
        byte[] object = LlvmCompiler.object(units, target);
        Path objectFile = dir.resolve(c + ".o");
        AtomicFileWrite.writeBytes(objectFile, object);
        Path header = dir.resolve(c + ".h");
        AtomicFileWrite.writeBytes(header, CApi.header(model, modelcVersion).getBytes(StandardCharsets.UTF_8));
        AtomicFileWrite.writeBytes(dir.resolve(c + "_api.c"), CApi.source(model).getBytes(StandardCharsets.UTF_8));
        AtomicFileWrite.writeBytes(dir.resolve("modelc_rt.c"), resource("modelc_rt.c"));
        AtomicFileWrite.writeBytes(dir.resolve("modelc_rt.h"), resource("modelc_rt.h"));
        if (!target.triple().equals(LlvmTarget.host().triple())) {
            return new Written(c, objectFile, header, null, "not linked: " + target.triple() + " is not this machine's architecture;"
                    + " compile " + c + "_api.c and modelc_rt.c with a C compiler for it and link them with " + c + ".o");
        }
        Path library = dir.resolve("lib" + c + ".so");
        String failure = link(dir, List.of("cc", "-O2", "-fPIC", "-shared", "-fvisibility=hidden", "-std=c11", "-Wall",
                "-o", library.getFileName() + ".tmp", c + ".o", c + "_api.c", "modelc_rt.c", "-lm", "-lpthread"));
        if (failure != null) return new Written(c, objectFile, header, null, failure);
        Files.move(dir.resolve(library.getFileName() + ".tmp"), library, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Written(c, objectFile, header, library, "");
    }

    /** Runs the C compiler in {@code dir}; null on success, else why not. */
    private static String link(Path dir, List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "not linked: no C compiler (cc) on the PATH; the object and C sources are written";
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "not linked: cc took more than two minutes";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while linking", e);
        }
        if (p.exitValue() != 0) throw new IOException("cc failed to build the library (exit " + p.exitValue() + "):\n" + output);
        return null;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("modelc's build lacks its native runtime source " + name);
            return in.readAllBytes();
        }
    }
}
