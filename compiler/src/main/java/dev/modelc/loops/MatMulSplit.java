package dev.modelc.loops;

/**
 * How the f32 matmul kernel ({@link MatMulKernels}) cuts C into the iterations of its parallel
 * loop, and how big the pieces are. The cut decides which data the threads share, which is what
 * limits the kernel on two cores that contend for cache and memory: with row blocks every
 * iteration streams all of packed B, packed by one thread; with column blocks each iteration
 * packs its own strips of B and streams only them, and the threads share only A.
 *
 * <p>Measured on the 2-core build machine, interleaved runs of both cuts (median speed-up of
 * column blocks over row blocks, LLVM / JVM, 2 threads): 128x784x256 1.20 / 1.15, 128x256x784
 * 1.17 / 1.15, 128x256x128 1.33 / 1.28, 128x64x128 with B transposed 1.58 / 1.31; with M above N
 * (784x128x256) 1.03 / 0.98. On one thread both cuts ran within 2% of each other.
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
    /** The rows assumed for a symbolic M (a batch size). */
    static final long SYMBOLIC_ROWS = 128;
    /** The depth assumed for a symbolic K. */
    static final long SYMBOLIC_DEPTH = 128;
    /**
     * The largest A that takes column blocks when A and B are the same size: about the two cores'
     * L2. At 1024x1024x1024 (4 MiB) column blocks ran 1% (LLVM) and 4% (JVM) slower than row
     * blocks on one thread and no faster on two; at 512^3 and below they ran as fast on one
     * thread and 2-11% faster on two.
     */
    static final long TIE_MAX_A_BYTES = 1024 * 1024;
    /**
     * Column blocks aimed for: two for each of the 8 chunks that {@code Parallel} cuts a loop
     * into on two threads, so that a thread the machine slows down takes fewer of them
     * (128x256x784: 13 blocks of 4 strips ran 10% faster than 7 of 7).
     */
    static final long COLUMN_BLOCKS = 16;
    /**
     * Above this much A, a column block takes at least 2 strips: every block reads all of A, which
     * then comes from L3 (128x784x256 on one thread: 2% slower with 1-strip blocks than with row
     * blocks, as fast with 2-strip ones).
     */
    static final long WIDE_BLOCK_A_BYTES = 256 * 1024;
    /** At most this much packed B per column block, so that it stays in L2 while every row block streams it. */
    static final long COLUMN_BLOCK_BYTES = 128 * 1024;
    /** At most one column block per this many rows of C, so that a product of a few rows (a small batch) stays on one thread. */
    static final long COLUMN_BLOCK_ROWS = 8;

    /**
     * Column blocks when A is smaller than B (M*K < K*N, so M < N), or the same size and at most
     * {@value #TIE_MAX_A_BYTES} bytes, and N is a constant with at least two strips of
     * {@code stripWidth} columns to share out; else row blocks. -1 stands for a symbolic size.
     */
    static Kind of(long rowsKnown, long depthKnown, long colsKnown, int stripWidth) {
        long rows = rows(rowsKnown);
        boolean smaller = rows < colsKnown || rows == colsKnown && aBytes(rowsKnown, depthKnown) <= TIE_MAX_A_BYTES;
        return colsKnown >= 2L * stripWidth && smaller ? Kind.COLUMNS : Kind.ROWS;
    }

    /**
     * The number of column blocks for {@code strips} strips of {@code stripWidth} f32 columns:
     * about {@value #COLUMN_BLOCKS}, of at least 2 strips where A passes {@value #WIDE_BLOCK_A_BYTES}
     * bytes, and more where a block's packed B would pass {@value #COLUMN_BLOCK_BYTES} bytes.
     */
    static long columnBlocks(long strips, long rowsKnown, long depthKnown, int stripWidth) {
        long fit = Math.max(1, COLUMN_BLOCK_BYTES / (depth(depthKnown) * stripWidth * Float.BYTES));
        long aimed = (strips + COLUMN_BLOCKS - 1) / COLUMN_BLOCKS;
        if (aBytes(rowsKnown, depthKnown) > WIDE_BLOCK_A_BYTES) aimed = Math.max(2, aimed);
        long perBlock = Math.max(1, Math.min(fit, aimed));
        return (strips + perBlock - 1) / perBlock;
    }

    private static long rows(long rowsKnown) { return rowsKnown >= 0 ? rowsKnown : SYMBOLIC_ROWS; }

    private static long depth(long depthKnown) { return depthKnown >= 0 ? Math.max(1, depthKnown) : SYMBOLIC_DEPTH; }

    private static long aBytes(long rowsKnown, long depthKnown) { return rows(rowsKnown) * depth(depthKnown) * Float.BYTES; }

    /** Rows per row block: about {@value #ROW_BLOCK}, a multiple of {@code tileRows}, cut evenly when M is known. */
    static long rowBlock(long rowsKnown, int tileRows) {
        if (rowsKnown <= 0) return Math.max(tileRows, ROW_BLOCK / tileRows * tileRows);
        long blocks = Math.max(1, (rowsKnown + ROW_BLOCK / 2) / ROW_BLOCK);
        return Math.max(tileRows, ((rowsKnown + blocks - 1) / blocks + tileRows - 1) / tileRows * tileRows);
    }
}
