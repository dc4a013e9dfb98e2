package dev.modelc.runtime.jvm;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the iterations of a compiled parallel loop across the cores: the calling thread and the
 * workers of one shared pool take chunks of the range from a counter until none are left, so a
 * thread slowed by the rest of the machine just takes fewer chunks. Compiled code asks
 * {@link #worthSplitting} first and calls the loop body directly when the answer is no: when the
 * estimated work is too small to pay for waking the workers, or when the thread is already
 * running a chunk of an enclosing parallel loop (the cores are busy; nesting would only queue).
 *
 * <p>System properties: {@code modelc.threads} (default: the available processors) and
 * {@code modelc.parallel.minWork} (see {@link #MIN_WORK}).
 */
public final class Parallel {
    private Parallel() {}

    /** Threads that run chunks: the caller and {@code THREADS - 1} pool workers. */
    static final int THREADS = Math.max(1, Integer.getInteger("modelc.threads", Runtime.getRuntime().availableProcessors()));

    /**
     * The estimated work (compiled code's count of operations per iteration times the iterations)
     * below which a loop runs on the calling thread alone. Measured on this project's 2-core
     * reference machine: a split costs about 10 microseconds (waking a parked worker, joining it),
     * and a unit of work takes 0.06 to 0.08 ns in vectorised elementwise loops (fma, or exp lane
     * by lane, weighted as the compiler does). 500,000 units, some 35 microseconds of work, is
     * where a split pays on an idle machine; on a busy one the second core may not come at all.
     */
    public static final long MIN_WORK = Long.getLong("modelc.parallel.minWork", 500_000);

    /** Chunks per thread: enough for a thread that is descheduled to be covered by the others. */
    private static final int CHUNKS_PER_THREAD = 4;

    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1, pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("modelc-parallel-" + t.getPoolIndex());
        return t;
    }, null, false) : null;

    /** Whether this thread is running a chunk, so that nested parallel loops run inline. */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Whether {@code for (i = lo; i < hi; i += step)} with this much work per iteration should be split. */
    public static boolean worthSplitting(int lo, int hi, int step, long workPerIteration) {
        if (POOL == null || hi <= lo) return false;
        long iterations = ((long) hi - lo + step - 1) / step;
        return iterations >= 2 && iterations * workPerIteration >= MIN_WORK && !INSIDE.get()[0];
    }

    /** Runs {@code body.run(loop, a, b, captures)} over chunks {@code [a, b)} covering {@code [lo, hi)}, and waits for all. */
    public static void forRange(RangeBody body, int loop, int lo, int hi, int step, long[] captures) {
        if (hi <= lo) return;
        long iterations = ((long) hi - lo + step - 1) / step;
        int chunks = (int) Math.min(iterations, (long) CHUNKS_PER_THREAD * THREADS);
        var job = new Job(body, loop, lo, hi, step, iterations, chunks, captures);
        int helpers = POOL == null ? 0 : Math.min(THREADS - 1, chunks - 1);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
        for (int i = 0; i < helpers; i++) tasks[i] = POOL.submit(job::work);
        job.work();
        for (var t : tasks) t.join();
        job.rethrow();
    }

    private static final class Job {
        private final RangeBody body;
        private final int loop, lo, hi, step, chunks;
        private final long iterations;
        private final long[] captures;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeBody body, int loop, int lo, int hi, int step, long iterations, int chunks, long[] captures) {
            this.body = body;
            this.loop = loop;
            this.lo = lo;
            this.hi = hi;
            this.step = step;
            this.iterations = iterations;
            this.chunks = chunks;
            this.captures = captures;
        }

        void work() {
            boolean[] inside = INSIDE.get();
            boolean outer = inside[0];
            inside[0] = true;
            try {
                for (int c; (c = next.getAndIncrement()) < chunks; ) {
                    long first = iterations * c / chunks, end = iterations * (c + 1) / chunks;
                    body.run(loop, (int) (lo + first * step), (int) Math.min(hi, lo + end * step), captures);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                next.set(chunks); // the others stop taking chunks
            } finally {
                inside[0] = outer;
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }
}
