package dev.modelc.api.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Wall-clock times of repeated runs of a workload after a warm-up: the median is the figure to
 * quote (the machines are shared and noisy), with the spread beside it.
 */
public record Timing(double medianMs, double minMs, double maxMs, int runs) {
    /**
     * Warms up for {@code warmupS} seconds (at least one run), then runs until {@code measureS}
     * seconds have passed, at least {@code minRuns} and at most {@code maxRuns} times.
     */
    public static Timing measure(Workload w, double warmupS, double measureS, int minRuns, int maxRuns) {
        long warmEnd = System.nanoTime() + (long) (warmupS * 1e9);
        do {
            w.runOnce();
        } while (System.nanoTime() < warmEnd);
        var times = new double[maxRuns];
        int runs = 0;
        long end = System.nanoTime() + (long) (measureS * 1e9);
        while (runs < maxRuns && (runs < minRuns || System.nanoTime() < end)) {
            long t0 = System.nanoTime();
            w.runOnce();
            times[runs++] = (System.nanoTime() - t0) / 1e6;
        }
        var t = Arrays.copyOf(times, runs);
        Arrays.sort(t);
        double median = runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
        return new Timing(median, t[0], t[runs - 1], runs);
    }

    /** The line {@code bench} ends with. */
    public String line() {
        return String.format(Locale.ROOT, "median_ms=%.3f min_ms=%.3f max_ms=%.3f runs=%d", medianMs, minMs, maxMs, runs);
    }
}
