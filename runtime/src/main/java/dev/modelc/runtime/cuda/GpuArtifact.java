package dev.modelc.runtime.cuda;

import dev.modelc.runtime.aot.ModelManifest;
import dev.modelc.runtime.io.AtomicFileWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model compiled ahead of time for GPUs ({@code modelc compile --target ptx}), as a folder the
 * runtime loads without the compiler: {@code model.txt} (the {@link ModelManifest}: params, their
 * initialisers, the seed, and per entry the PTX file and its plan file), {@code MODEL.ptx} (every
 * entry's kernels, one module) and {@code MODEL.ENTRY.plan} (each entry's {@link GpuPlan}).
 */
public record GpuArtifact(ModelManifest manifest, String ptx, Map<String, GpuPlan> plans) {
    public static final String MANIFEST = "model.txt";

    public GpuArtifact {
        plans = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plans));
        for (var e : manifest.entries()) {
            if (!plans.containsKey(e.name())) throw new IllegalArgumentException("entry " + e.name() + " has no plan");
        }
    }

    /** The PTX file's name for a model. */
    public static String ptxFile(String model) { return model + ".ptx"; }

    /** An entry's plan file's name. */
    public static String planFile(String model, String entry) { return model + "." + entry + ".plan"; }

    /** Writes the folder (each file atomically), creating it if needed. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFileWrite.writeBytes(dir.resolve(ptxFile(manifest.model())), ptx.getBytes(StandardCharsets.UTF_8));
        for (var e : manifest.entries()) {
            AtomicFileWrite.writeBytes(dir.resolve(e.layoutResource()), plans.get(e.name()).toText().getBytes(StandardCharsets.UTF_8));
        }
        AtomicFileWrite.writeBytes(dir.resolve(MANIFEST), manifest.toText().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a folder {@link #write} wrote. */
    public static GpuArtifact read(Path dir) throws IOException {
        ModelManifest manifest;
        try {
            manifest = ModelManifest.fromText(Files.readString(dir.resolve(MANIFEST)));
        } catch (NoSuchFileException e) {
            throw new IOException(dir + " is not a GPU artifact: it has no " + MANIFEST, e);
        }
        String ptx = null;
        var plans = new LinkedHashMap<String, GpuPlan>();
        for (var e : manifest.entries()) {
            if (ptx == null) ptx = Files.readString(dir.resolve(e.className()));
            plans.put(e.name(), GpuPlan.fromText(Files.readString(dir.resolve(e.layoutResource()))));
        }
        return new GpuArtifact(manifest, ptx == null ? "" : ptx, plans);
    }

    /** Loads the PTX into the driver's context. */
    public CudaModule load(CudaDriver driver) { return CudaModule.load(driver, manifest.model(), ptx); }
}
