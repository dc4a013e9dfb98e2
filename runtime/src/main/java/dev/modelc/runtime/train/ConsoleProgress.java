package dev.modelc.runtime.train;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Training progress for people: on a terminal, a live line per epoch (batches done, running
 * loss, samples/s, time left) redrawn in place; otherwise one summary line per epoch. With very
 * many short epochs (xor trains 1000 epochs of one batch) only about 50 summary lines are
 * printed, evenly spaced, and always the last.
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int MAX_LINES = 50;

    private final PrintWriter out;
    private final boolean live;
    private final long batchSize;
    private long lastDraw;

    public ConsoleProgress(PrintWriter out, boolean live, long batchSize) {
        this.out = out;
        this.live = live;
        this.batchSize = batchSize;
    }

    @Override
    public void stepDone(long epoch, long batchesDone, long batches, double runningLoss, double seconds) {
        if (!live) return;
        long now = System.nanoTime();
        if (batchesDone < batches && now - lastDraw < 100_000_000L) return; // redraw at most 10 times a second
        lastDraw = now;
        int width = 24;
        int filled = (int) (width * batchesDone / batches);
        double perBatch = seconds / batchesDone;
        out.printf(Locale.ROOT, "\repoch %d [%s%s] %d/%d loss=%.4f %.0f samples/s %s left   ",
                epoch + 1, "=".repeat(filled), " ".repeat(width - filled), batchesDone, batches, runningLoss,
                batchesDone * batchSize / Math.max(seconds, 1e-9), duration(perBatch * (batches - batchesDone)));
        out.flush();
    }

    @Override
    public void epochDone(EpochReport r) {
        long every = Math.max(1, (r.epochs() + MAX_LINES - 1) / MAX_LINES);
        if (!live && r.epoch() % every != 0 && r.epoch() != r.epochs()) return;
        var sb = new StringBuilder(live ? "\r" : "");
        sb.append(String.format(Locale.ROOT, "epoch %d/%d %s", r.epoch(), r.epochs(), pairs(r.train())));
        r.test().ifPresent(t -> sb.append(" | test ").append(pairs(t)));
        sb.append(String.format(Locale.ROOT, " | %.0f samples/s %s", r.samplesPerSecond(), duration(r.seconds())));
        if (live) sb.append("   ");
        out.println(sb);
        out.flush();
    }

    /** The machine-readable last line: {@code final loss=… accuracy=… samples_per_s=… seconds=…}. */
    public static String finalLine(Map<String, Double> figures, long samples, double seconds) {
        return String.format(Locale.ROOT, "final %s samples_per_s=%.0f seconds=%.1f",
                pairs(figures), seconds > 0 ? samples / seconds : 0.0, seconds);
    }

    static String pairs(Map<String, Double> figures) {
        var sb = new StringBuilder();
        figures.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.1fs", seconds);
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }
}
