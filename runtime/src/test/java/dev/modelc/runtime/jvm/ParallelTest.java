package dev.modelc.runtime.jvm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    /** Counts how often each iteration of a stepped range ran, and on which threads. */
    private static final class Recorder implements RangeBody {
        final AtomicIntegerArray runs;
        final int step;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Recorder(int hi, int step) {
            this.runs = new AtomicIntegerArray(hi);
            this.step = step;
        }

        @Override
        public void run(int loop, int lo, int hi, long[] captures) {
            assertEquals(3, loop);
            assertEquals(42L, captures[0]);
            threads.add(Thread.currentThread().getName());
            for (int i = lo; i < hi; i += step) runs.incrementAndGet(i);
            busy();
        }
    }

    private static void busy() {
        long end = System.nanoTime() + 2_000_000;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    @Test
    void everyIterationRunsOnceWhateverTheStep() {
        for (int step : new int[] {1, 3, 8}) {
            for (int[] range : new int[][] {{0, 1000}, {5, 1003}, {7, 8}, {10, 10}, {10, 4}}) {
                var r = new Recorder(Math.max(range[1], 1), step);
                Parallel.forRange(r, 3, range[0], range[1], step, new long[] {42});
                for (int i = 0; i < r.runs.length(); i++) {
                    boolean inRange = i >= range[0] && i < range[1] && (i - range[0]) % step == 0;
                    assertEquals(inRange ? 1 : 0, r.runs.get(i), "step " + step + " range " + range[0] + ".." + range[1] + " at " + i);
                }
            }
        }
    }

    @Test
    void chunksRunOnSeveralThreadsWhenThereAreCores() {
        var r = new Recorder(64, 1);
        Parallel.forRange(r, 3, 0, 64, 1, new long[] {42});
        if (Parallel.THREADS > 1) assertTrue(r.threads.size() > 1, "ran only on " + r.threads);
    }

    @Test
    void smallWorkAndNestedLoopsRunInline() {
        assertFalse(Parallel.worthSplitting(0, 10, 1, 1));
        assertFalse(Parallel.worthSplitting(0, 1, 1, Long.MAX_VALUE / 2)); // one iteration
        assertFalse(Parallel.worthSplitting(5, 5, 1, Parallel.MIN_WORK));
        if (Parallel.THREADS == 1) return;
        assertTrue(Parallel.worthSplitting(0, 1000, 1, Parallel.MIN_WORK));
        boolean[] nested = new boolean[1];
        Parallel.forRange((loop, lo, hi, captures) -> nested[0] |= Parallel.worthSplitting(0, 1000, 1, Parallel.MIN_WORK), 0, 0, 2, 1, new long[0]);
        assertFalse(nested[0]);
    }

    @Test
    void theFirstFailureIsRethrown() {
        var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange((loop, lo, hi, c) -> {
            throw new IllegalStateException("chunk " + lo);
        }, 0, 0, 100, 1, new long[0]));
        assertTrue(e.getMessage().startsWith("chunk "));
    }
}
