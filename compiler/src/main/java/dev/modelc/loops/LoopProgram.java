package dev.modelc.loops;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import java.util.List;
import java.util.Map;

/**
 * One entry of a model as kernels over buffers: the contract between the compiler and every
 * backend. Buffers hold {@code elements} values of {@code dtype} in C order; an input buffer is
 * bound to the entry's input of that name (and is overwritten when it is also the buffer of the
 * result of that name: a training step's new params and optimiser state), a result buffer is read
 * out under its result names,
 * and a temporary lives in a {@code slot} that temporaries with disjoint lifetimes share.
 * Kernels run in order.
 */
public record LoopProgram(String entry, List<String> dims, List<Buffer> buffers, List<Kernel> kernels,
                          Map<String, Integer> inputs, Map<String, Integer> results) {
    public LoopProgram {
        dims = List.copyOf(dims);
        buffers = List.copyOf(buffers);
        kernels = List.copyOf(kernels);
        // insertion order kept, so printed programs and ahead-of-time jars come out the same every run
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        results = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(results));
    }

    /**
     * An input, a temporary, or (GPU only) a kernel's shared memory: one per block of the kernel
     * whose {@link BlockLaunch} names it, of a constant size, not kept between launches.
     */
    public enum Kind { INPUT, TEMP, SHARED }

    /**
     * A buffer; {@code slot} groups temporaries that may share storage (inputs have slot -1).
     * {@code shape} is for printing and for results; {@code elements} is its product.
     */
    public record Buffer(int id, String name, DType dtype, List<DimExpr> shape, Kind kind, int slot) {
        public Buffer { shape = List.copyOf(shape); }

        public DimExpr elements() {
            DimExpr n = DimExpr.constant(1);
            for (var d : shape) n = n.times(d);
            return n;
        }
    }

    /**
     * A loop nest; {@code reads} and {@code writes} name its buffers, for scheduling and checking.
     * {@code launch} is null except for a GPU kernel written for blocks of threads.
     */
    public record Kernel(String name, Stmt body, List<Integer> reads, List<Integer> writes, BlockLaunch launch) {
        public Kernel {
            reads = List.copyOf(reads);
            writes = List.copyOf(writes);
        }

        public Kernel(String name, Stmt body, List<Integer> reads, List<Integer> writes) { this(name, body, reads, writes, null); }
    }

    /**
     * How a GPU kernel written for blocks of threads is launched: {@code blocks} (x, y, z: index
     * expressions of the dimension variables) blocks of {@code threads} threads, every thread
     * running the whole body with its own {@link Expr.GpuIndex} values, the {@code shared}
     * buffers in the block's shared memory.
     */
    public record BlockLaunch(List<Expr> blocks, int threads, List<Integer> shared) {
        public BlockLaunch {
            blocks = List.copyOf(blocks);
            shared = List.copyOf(shared);
            if (blocks.size() != 3) throw new IllegalArgumentException("blocks are x, y and z");
        }
    }

    public Buffer buffer(int id) { return buffers.get(id); }
}
