package dev.modelc.codegen.jvm;

import dev.modelc.check.TypedModel;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.Op;
import dev.modelc.loops.LoopLowering;
import dev.modelc.lower.Lowering;
import dev.modelc.runtime.aot.ModelManifest;
import dev.modelc.runtime.io.AtomicFileWrite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * An ahead-of-time jar ({@code modelc compile FILE --target jvm -o model.jar}): for every entry
 * of the model but the training step, its generated class (as an ordinary class under
 * {@code modelc/gen/<model>/}) and buffer layout; the model description read by the runtime's
 * {@code AotModel}; and a typed facade class named after the model with one method per entry,
 * taking the entry's inputs as tensors in declaration order. It runs with only the runtime jar
 * beside it.
 */
public final class AotJar {
    private AotJar() {}

    /** The facade's binary name for a model, e.g. {@code modelc.gen.xor.Xor}. */
    public static String facadeName(String model) { return "modelc.gen." + model.toLowerCase(Locale.ROOT) + "." + model; }

    public static void write(TypedModel model, GraphModule graphs, Path jar) throws IOException {
        String name = model.decl().name();
        String pkg = "modelc/gen/" + name.toLowerCase(Locale.ROOT) + "/";
        var files = new LinkedHashMap<String, byte[]>();
        var entries = new ArrayList<ModelManifest.Entry>();
        var inputsByEntry = new LinkedHashMap<String, List<String>>();
        for (var g : graphs.entries()) {
            if (g.name().equals(Lowering.TRAIN_STEP)) continue;
            var program = LoopLowering.lower(Fusion.fuse(g));
            String cls = pkg + "Entry_" + g.name();
            String layout = "modelc/" + name + "/" + g.name() + ".layout";
            files.put(cls + ".class", JvmCompiler.classBytes(program, cls));
            files.put(layout, JvmCompiler.layout(program).toText().getBytes(StandardCharsets.UTF_8));
            entries.add(new ModelManifest.Entry(g.name(), cls.replace('/', '.'), layout));
            var used = new java.util.HashSet<String>();
            for (var n : g.inputs()) if (n.op() instanceof Op.Input in && in.role() == Op.Role.INPUT) used.add(in.name());
            // the facade takes them in the order the model declares them, not the order the graph reads them
            var inputs = new ArrayList<String>();
            for (var m : model.members()) if (m.kind() == TypedModel.Kind.INPUT && used.contains(m.name())) inputs.add(m.name());
            inputsByEntry.put(g.name(), inputs);
        }
        var params = dev.modelc.codegen.ManifestParams.of(model);
        long seed = dev.modelc.codegen.ManifestParams.seed(model);
        files.put(ModelManifest.resource(name), new ModelManifest(name, seed, params, entries).toText().getBytes(StandardCharsets.UTF_8));
        files.put(facadeName(name).replace('.', '/') + ".class", Facade.generate(name, inputsByEntry));
        AtomicFileWrite.writeBytes(jar, zip(files));
    }

    private static byte[] zip(LinkedHashMap<String, byte[]> files) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "modelc");
        var bytes = new ByteArrayOutputStream();
        try (var out = new JarOutputStream(bytes)) {
            // written by hand rather than by JarOutputStream(…, manifest), which stamps the current time
            out.putNextEntry(stamped("META-INF/"));
            out.closeEntry();
            out.putNextEntry(stamped("META-INF/MANIFEST.MF"));
            manifest.write(out);
            out.closeEntry();
            var dirs = new java.util.TreeSet<String>();
            for (String f : files.keySet()) {
                for (int i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) dirs.add(f.substring(0, i + 1));
            }
            for (String d : dirs) {
                out.putNextEntry(stamped(d));
                out.closeEntry();
            }
            for (var f : files.entrySet()) {
                out.putNextEntry(stamped(f.getKey()));
                out.write(f.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Entries carry a fixed time, so the same model gives the same jar bytes. */
    private static JarEntry stamped(String name) {
        var e = new JarEntry(name);
        e.setTime(315532800000L); // 1980-01-01, the zip format's epoch
        return e;
    }
}
