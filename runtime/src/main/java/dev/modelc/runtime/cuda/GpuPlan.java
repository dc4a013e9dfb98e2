package dev.modelc.runtime.cuda;

import dev.modelc.runtime.jvm.ProgramLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * How one entry runs on a GPU, without the compiler: its {@link ProgramLayout} (buffers, slots,
 * inputs, results) and the kernel launches in order, each naming a function of the entry's PTX
 * module.
 *
 * <p>Every function takes {@code (int32_t *status, storages..., int64_t dims...)}: a device word
 * the kernels set to a non-zero code on an integer division by zero (1) or an integer raised to a
 * negative power (2), as the native runtime's status; then one device pointer per storage in
 * {@link Launch#storages} (the allocation of the first buffer named there, an input's own or its
 * temporaries' slot's); then every dimension value in the layout's order. A {@link Mode#GRID}
 * launch spreads its iterations over every thread of the grid (any grid size is correct; the
 * runtime picks {@link #THREADS_PER_BLOCK} threads per block and enough blocks to fill the device),
 * a {@link Mode#SINGLE} launch is one block of one thread, and a {@link Mode#BLOCKS} launch is
 * exactly {@link Launch#blocks} (x, y and z counts, {@code DimFormula}s of the dimensions, launched
 * as their product along x) blocks of {@link Launch#threads} threads: a kernel written for blocks,
 * with shared memory and barriers. Launches on one stream run in order, so each sees the previous
 * one's writes.
 */
public record GpuPlan(ProgramLayout layout, List<Launch> launches) {
    public static final int THREADS_PER_BLOCK = 256;

    public GpuPlan {
        launches = List.copyOf(launches);
    }

    public enum Mode { GRID, SINGLE, BLOCKS }

    /**
     * One launch.
     *
     * @param storages per kernel parameter after the status, the ids of the buffers that share
     *     that allocation (any one of them names it)
     * @param blocks for {@link Mode#BLOCKS}: the x, y and z block counts; else empty
     * @param threads for {@link Mode#BLOCKS}: threads per block; else 0
     */
    public record Launch(String function, Mode mode, List<List<Integer>> storages, List<String> blocks, int threads) {
        public Launch {
            storages = storages.stream().map(List::copyOf).toList();
            blocks = List.copyOf(blocks);
            if ((mode == Mode.BLOCKS) != (blocks.size() == 3)) throw new IllegalArgumentException("a blocks launch has x, y and z block counts, others none");
        }

        public Launch(String function, Mode mode, List<List<Integer>> storages) { this(function, mode, storages, List.of(), 0); }

        /** For {@link Mode#BLOCKS}: how many blocks, all axes together, for these dimension values. */
        public long blockCount(java.util.Map<String, Long> dims) {
            long n = 1;
            for (String f : blocks) n = Math.multiplyExact(n, Math.max(0, dev.modelc.runtime.jvm.DimFormula.evaluate(f, dims)));
            return n;
        }
    }

    /** The text form: the layout's lines, then one {@code launch} line per launch (tab-separated; storages as {@code 3,7}). */
    public String toText() {
        var sb = new StringBuilder(layout.toText());
        for (var l : launches) {
            sb.append("launch\t").append(l.function()).append('\t').append(l.mode().name().toLowerCase(java.util.Locale.ROOT));
            if (l.mode() == Mode.BLOCKS) sb.append('=').append(String.join("|", l.blocks())).append('|').append(l.threads());
            for (var group : l.storages()) {
                sb.append('\t');
                for (int i = 0; i < group.size(); i++) sb.append(i == 0 ? "" : ",").append(group.get(i));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static GpuPlan fromText(String text) {
        var layoutLines = new StringBuilder();
        var launches = new ArrayList<Launch>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (!l.startsWith("launch\t")) {
                layoutLines.append(l).append('\n');
                continue;
            }
            String[] f = l.split("\t", -1);
            try {
                if (f.length < 3) throw new IllegalArgumentException("expected a function and a mode");
                var storages = new ArrayList<List<Integer>>();
                for (int i = 3; i < f.length; i++) {
                    var group = new ArrayList<Integer>();
                    for (String id : f[i].split(",")) group.add(Integer.parseInt(id));
                    storages.add(group);
                }
                if (f[2].startsWith("blocks=")) {
                    String[] shape = f[2].substring("blocks=".length()).split("\\|", -1);
                    if (shape.length != 4) throw new IllegalArgumentException("a blocks launch gives x|y|z|threads, not " + f[2]);
                    launches.add(new Launch(f[1], Mode.BLOCKS, storages, List.of(shape[0], shape[1], shape[2]), Integer.parseInt(shape[3])));
                    continue;
                }
                Mode mode = switch (f[2]) {
                    case "grid" -> Mode.GRID;
                    case "single" -> Mode.SINGLE;
                    default -> throw new IllegalArgumentException("unknown launch mode " + f[2]);
                };
                launches.add(new Launch(f[1], mode, storages));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("gpu plan line " + line + ": " + e.getMessage(), e);
            }
        }
        return new GpuPlan(ProgramLayout.fromText(layoutLines.toString()), launches);
    }
}
