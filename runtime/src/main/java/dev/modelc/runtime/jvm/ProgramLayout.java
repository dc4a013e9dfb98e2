package dev.modelc.runtime.jvm;

import dev.modelc.runtime.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a compiled program needs to know about its buffers at run time, without the compiler:
 * the dimension variables (in the order the generated class takes them), each buffer's element
 * type, shape (as {@link DimFormula} texts) and slot, and which buffers are the named inputs
 * and results. Written as a few lines of text into ahead-of-time jars.
 */
public record ProgramLayout(String entry, List<String> dims, List<Buffer> buffers, Map<String, Integer> inputs,
                            Map<String, Integer> results) {
    public ProgramLayout {
        dims = List.copyOf(dims);
        buffers = List.copyOf(buffers);
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** A buffer: an input (slot -1) or a temporary sharing its slot's array. */
    public record Buffer(int id, String name, DType dtype, List<String> shape, boolean input, int slot) {
        public Buffer { shape = List.copyOf(shape); }
    }

    /** The text form: one line per fact, fields separated by tabs (names have no tabs; formulas may have spaces). */
    public String toText() {
        var sb = new StringBuilder("entry\t").append(entry).append('\n');
        sb.append("dims");
        for (var d : dims) sb.append('\t').append(d);
        sb.append('\n');
        for (var b : buffers) {
            sb.append("buffer\t").append(b.id()).append('\t').append(b.name()).append('\t').append(b.dtype().safetensorsName())
                    .append('\t').append(b.input() ? "input" : "temp").append('\t').append(b.slot());
            for (var d : b.shape()) sb.append('\t').append(d);
            sb.append('\n');
        }
        inputs.forEach((n, id) -> sb.append("input\t").append(n).append('\t').append(id).append('\n'));
        results.forEach((n, id) -> sb.append("result\t").append(n).append('\t').append(id).append('\n'));
        return sb.toString();
    }

    public static ProgramLayout fromText(String text) {
        String entry = null;
        List<String> dims = List.of();
        var buffers = new ArrayList<Buffer>();
        var inputs = new LinkedHashMap<String, Integer>();
        var results = new LinkedHashMap<String, Integer>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isEmpty()) continue;
            String[] f = l.split("\t", -1);
            try {
                switch (f[0]) {
                    case "entry" -> entry = f[1];
                    case "dims" -> dims = List.of(f).subList(1, f.length);
                    case "buffer" -> buffers.add(new Buffer(Integer.parseInt(f[1]), f[2],
                            DType.fromSafetensorsName(f[3]).orElseThrow(() -> new IllegalArgumentException("unknown dtype " + f[3])),
                            List.of(f).subList(6, f.length), f[4].equals("input"), Integer.parseInt(f[5])));
                    case "input" -> inputs.put(f[1], Integer.parseInt(f[2]));
                    case "result" -> results.put(f[1], Integer.parseInt(f[2]));
                    default -> throw new IllegalArgumentException("unknown line kind " + f[0]);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("program layout line " + line + ": " + e.getMessage(), e);
            }
        }
        if (entry == null) throw new IllegalArgumentException("program layout has no entry line");
        return new ProgramLayout(entry, dims, buffers, inputs, results);
    }
}
