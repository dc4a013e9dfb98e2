package dev.modelc.runtime.aot;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.init.Initializers;
import dev.modelc.runtime.io.SafeTensors;
import dev.modelc.runtime.jvm.CompiledProgram;
import dev.modelc.runtime.jvm.ProgramLayout;
import dev.modelc.runtime.jvm.ProgramRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model compiled ahead of time into a jar ({@code modelc compile FILE --target jvm}), run with
 * only the runtime beside it: no compiler, no ASM, no ANTLR. The jar holds one generated class
 * per entry, its buffer layout, and {@code modelc/NAME/model.txt}. Run the JVM with
 * {@code --add-modules jdk.incubator.vector} (the generated code uses the Vector API).
 */
public final class AotModel {
    private final ModelManifest manifest;
    private final Map<String, ProgramRunner> entries = new LinkedHashMap<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    private AotModel(ModelManifest manifest, ClassLoader loader) {
        this.manifest = manifest;
        for (var e : manifest.entries()) {
            var layout = ProgramLayout.fromText(read(loader, e.layoutResource()));
            try {
                var program = (CompiledProgram) Class.forName(e.className(), true, loader).getConstructor().newInstance();
                entries.put(e.name(), new ProgramRunner(layout, program));
            } catch (ReflectiveOperationException x) {
                throw new IllegalStateException("cannot load the class of entry " + e.name() + ": " + x, x);
            } catch (NoClassDefFoundError x) {
                if (String.valueOf(x.getMessage()).startsWith("jdk/incubator/vector")) {
                    throw new IllegalStateException("model " + manifest.model() + " uses the Vector API: run java with"
                            + " --add-modules jdk.incubator.vector", x);
                }
                throw x;
            }
        }
    }

    /** The model called {@code name} from the class path (the jar {@code compile} wrote). */
    public static AotModel load(String name) { return load(name, AotModel.class.getClassLoader()); }

    public static AotModel load(String name, ClassLoader loader) {
        return new AotModel(ModelManifest.fromText(read(loader, ModelManifest.resource(name))), loader);
    }

    public String name() { return manifest.model(); }

    /** The entries {@link #run} accepts. */
    public List<String> entries() { return List.copyOf(entries.keySet()); }

    /** Params (and consts with initialisers) from their initialisers, as the compiler's API makes them for the same seed. */
    public AotModel initParams(long seed) {
        for (var p : manifest.params()) {
            if (p.init() != null) params.put(p.name(), Initializers.create(p.init(), p.dtype(), p.shape(), seed, p.name()));
        }
        return this;
    }

    /** {@link #initParams(long)} with the model's seed. */
    public AotModel initParams() { return initParams(manifest.seed()); }

    /** Params from a safetensors file; every declared param must be there with its declared type. */
    public AotModel loadParams(Path file) {
        Map<String, Tensor> loaded;
        try {
            loaded = SafeTensors.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (var p : manifest.params()) {
            Tensor t = loaded.get(p.name());
            if (t == null) throw new IllegalArgumentException(file + " lacks " + p.name());
            if (t.dtype() != p.dtype() || !Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException(p.name() + " should be " + p.dtype() + Arrays.toString(p.shape()) + " in " + file);
            }
            params.put(p.name(), t);
        }
        return this;
    }

    public void saveParams(Path file) {
        try {
            SafeTensors.write(file, params, Map.of("modelc.model", name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Tensor> params() { return Collections.unmodifiableMap(params); }

    /** Runs one entry on named inputs (inputs it does not need are ignored). */
    public Tensor run(String entry, Map<String, Tensor> inputs) {
        var runner = entries.get(entry);
        if (runner == null) throw new IllegalArgumentException("model " + name() + " has no entry '" + entry + "'; its entries are: " + entries());
        for (var p : manifest.params()) {
            if (!params.containsKey(p.name())) throw new IllegalStateException("param " + p.name() + " is not set: call initParams or loadParams");
        }
        var all = new HashMap<String, Tensor>(inputs);
        all.putAll(params);
        return runner.run(all, InputBinding.bind(runner.layout(), all)).get(entry);
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no resource " + resource + " on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
