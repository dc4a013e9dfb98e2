package dev.modelc.loops;

/**
 * How the f32 matmul kernel ({@link MatMulKernels}) cuts C into the iterations of its parallel
 * loop, and how big the pieces are. The cut decides which data the threads share, which is what
 * limits the kernel on two cores that contend for cache and memory: with row blocks every
 * iteration streams all of packed B, packed by one thread; with column blocks each iteration
 * packs its own strips of B and streams only them, and the threads share only A.
 *
 * <p>Measured on the 2-core build machine (GFLOP/s on 2 threads, medians of interleaved runs):
 * 128x784x256 LLVM 65 to 89 and JVM 82 to 89, 128x256x784 89 to 103 and 82 to 93, 128x256x128
 * 111 to 145 and 115 to 132; with M larger than N (784x128x256) column blocks ran no faster.
 * One thread ran equally fast either way.
 */
final class MatMulSplit {
    private MatMulSplit() {}

    enum Kind { ROWS, COLUMNS }

    /**
     * The target height of a block of rows: 32 gives a batch of 128 four blocks, which balanced
     * two threads on a shared machine better than two blocks of 64 and ran one thread as fast
     * (measured; 6-row tiles and k-blocks of 128 or 512 were no faster).
     */
    static final int ROW_BLOCK = 32;
    /** The rows assumed for a symbolic M (a batch size) when choosing the cut. */
    static final long SYMBOLIC_ROWS = 128;
    /** The depth assumed for a symbolic K when sizing column blocks. */
    static final long SYMBOLIC_DEPTH = 128;
    /**
     * Column blocks aimed for: two for each of the 8 chunks that {@code Parallel} cuts a loop
     * into on two threads, so that a thread the machine slows down takes fewer of them (4 blocks
     * of 64 columns ran slower than 8 of 32 or 16 of 16 at 128x784x256).
     */
    static final long COLUMN_BLOCKS = 16;
    /** At most this much packed B per column block, so that it stays in L2 while every row block streams it. */
    static final long COLUMN_BLOCK_BYTES = 128 * 1024;
    /** At most one column block per this many rows of C, so that a product of a few rows (a small batch) stays on one thread. */
    static final long COLUMN_BLOCK_ROWS = 8;

    /**
     * Column blocks when A is no larger than B (M*K ≤ K*N, so M ≤ N, with {@value #SYMBOLIC_ROWS}
     * rows for a symbolic M) and N is a constant with at least two strips of {@code stripWidth}
     * columns to share out; else row blocks.
     */
    static Kind of(long rowsKnown, long colsKnown, int stripWidth) {
        long rows = rowsKnown >= 0 ? rowsKnown : SYMBOLIC_ROWS;
        return colsKnown >= 2L * stripWidth && rows <= colsKnown ? Kind.COLUMNS : Kind.ROWS;
    }

    /**
     * The number of column blocks for {@code strips} strips of {@code stripWidth} f32 columns and
     * depth {@code depthKnown} (-1: symbolic): about {@value #COLUMN_BLOCKS}, more where a
     * block's packed B would pass {@value #COLUMN_BLOCK_BYTES} bytes.
     */
    static long columnBlocks(long strips, long depthKnown, int stripWidth) {
        long depth = depthKnown >= 0 ? Math.max(1, depthKnown) : SYMBOLIC_DEPTH;
        long fit = Math.max(1, COLUMN_BLOCK_BYTES / (depth * stripWidth * Float.BYTES));
        long perBlock = Math.max(1, Math.min(fit, (strips + COLUMN_BLOCKS - 1) / COLUMN_BLOCKS));
        return (strips + perBlock - 1) / perBlock;
    }

    /** Rows per row block: about {@value #ROW_BLOCK}, a multiple of {@code tileRows}, cut evenly when M is known. */
    static long rowBlock(long rowsKnown, int tileRows) {
        if (rowsKnown <= 0) return Math.max(tileRows, ROW_BLOCK / tileRows * tileRows);
        long blocks = Math.max(1, (rowsKnown + ROW_BLOCK / 2) / ROW_BLOCK);
        return Math.max(tileRows, ((rowsKnown + blocks - 1) / blocks + tileRows - 1) / tileRows * tileRows);
    }
}
