package dev.modelc.runtime.aot;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.init.InitSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The description of a model compiled ahead of time, kept in its jar as
 * {@code modelc/NAME/model.txt}: its params and consts (type and initialiser), its seed, and its
 * entries (the generated class and the layout resource of each). Tab-separated lines.
 */
public record ModelManifest(String model, long seed, List<Param> params, List<Entry> entries) {
    public ModelManifest {
        params = List.copyOf(params);
        entries = List.copyOf(entries);
    }

    /** A param or const; {@code init} is null for a const that must be loaded. */
    public record Param(String name, DType dtype, long[] shape, InitSpec init) {}

    /** An entry: its generated class and the resource holding its {@code ProgramLayout}. */
    public record Entry(String name, String className, String layoutResource) {}

    public static String resource(String model) { return "modelc/" + model + "/model.txt"; }

    public String toText() {
        var sb = new StringBuilder("model\t").append(model).append('\n').append("seed\t").append(seed).append('\n');
        for (var p : params) {
            sb.append("param\t").append(p.name()).append('\t').append(p.dtype().safetensorsName()).append('\t').append(shape(p.shape()));
            if (p.init() != null) {
                sb.append('\t').append(p.init().kind());
                p.init().args().forEach((k, v) -> sb.append('\t').append(k).append('=').append(v instanceof Double d ? Double.toString(d) : "'" + v));
            }
            sb.append('\n');
        }
        for (var e : entries) sb.append("entry\t").append(e.name()).append('\t').append(e.className()).append('\t').append(e.layoutResource()).append('\n');
        return sb.toString();
    }

    private static String shape(long[] s) {
        var parts = new ArrayList<String>();
        for (long d : s) parts.add(Long.toString(d));
        return String.join(",", parts);
    }

    public static ModelManifest fromText(String text) {
        String model = null;
        long seed = 0;
        var params = new ArrayList<Param>();
        var entries = new ArrayList<Entry>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            try {
                switch (f[0]) {
                    case "model" -> model = f[1];
                    case "seed" -> seed = Long.parseLong(f[1]);
                    case "param" -> params.add(param(f));
                    case "entry" -> entries.add(new Entry(f[1], f[2], f[3]));
                    default -> throw new IllegalArgumentException("unknown line kind " + f[0]);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("model.txt line " + n + ": " + e.getMessage(), e);
            }
        }
        if (model == null) throw new IllegalArgumentException("model.txt has no model line");
        return new ModelManifest(model, seed, params, entries);
    }

    private static Param param(String[] f) {
        DType dtype = DType.fromSafetensorsName(f[2]).orElseThrow(() -> new IllegalArgumentException("unknown dtype " + f[2]));
        long[] shape = f[3].isEmpty() ? new long[0] : java.util.Arrays.stream(f[3].split(",")).mapToLong(Long::parseLong).toArray();
        InitSpec init = null;
        if (f.length > 4) {
            Map<String, Object> args = new LinkedHashMap<>();
            for (int i = 5; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                String v = f[i].substring(eq + 1);
                args.put(f[i].substring(0, eq), v.startsWith("'") ? v.substring(1) : (Object) Double.parseDouble(v));
            }
            init = new InitSpec(f[4], args);
        }
        return new Param(f[1], dtype, shape, init);
    }
}
