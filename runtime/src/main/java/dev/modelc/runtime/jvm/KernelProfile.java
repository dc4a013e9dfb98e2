package dev.modelc.runtime.jvm;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Opt-in wall-clock time per generated kernel. With {@code -Dmodelc.profile=true} each generated
 * class registers a profile as it is initialised, its {@code run()} times every kernel call with
 * {@link System#nanoTime}, and at exit a table per program (sorted by total time) goes to standard
 * error. Off (the default) the generated class holds a null profile in a static final field, so
 * C2 folds the test away and {@code run()} calls the kernels as before.
 *
 * <p>{@code -Dmodelc.profile.warmup=N} leaves each kernel's first N calls out (JIT warm-up). A
 * parallel kernel's time is the caller's wall time, joins included. {@code
 * -Dmodelc.profile.clock=cpu} reads the calling thread's CPU time instead, which a busy machine
 * disturbs less; with {@code -Dmodelc.threads=1} that is all of each kernel's work.
 */
public final class KernelProfile {
    /** Read once: whether generated classes register profiles. */
    public static final boolean ENABLED = Boolean.getBoolean("modelc.profile");
    private static final long WARMUP = Long.getLong("modelc.profile.warmup", 0);
    /** {@code -Dmodelc.profile.clock=cpu}: the calling thread's CPU time instead of wall time (steadier on a busy machine; with modelc.threads=1 it is all the work). */
    private static final boolean CPU = "cpu".equals(System.getProperty("modelc.profile.clock"));
    private static final java.lang.management.ThreadMXBean THREADS = CPU ? java.lang.management.ManagementFactory.getThreadMXBean() : null;
    private static final List<KernelProfile> ALL = new ArrayList<>();

    static {
        if (ENABLED) Runtime.getRuntime().addShutdownHook(new Thread(() -> print(System.err), "modelc-profile"));
    }

    private final String program;
    private final String[] kernels;
    private final long[] seen, calls, nanos;
    private final long[][] samples;

    private KernelProfile(String program, String[] kernels) {
        this.program = program;
        this.kernels = kernels;
        this.seen = new long[kernels.length];
        this.calls = new long[kernels.length];
        this.nanos = new long[kernels.length];
        this.samples = new long[kernels.length][16];
    }

    /** The clock the generated code reads around each kernel: {@link System#nanoTime}, or the thread's CPU time. */
    public static long now() { return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime(); }

    /** Called by a generated class's initialiser: a profile for {@code program}'s kernels (names separated by ','). */
    public static KernelProfile register(String program, String kernelNames) {
        var p = new KernelProfile(program, kernelNames.isEmpty() ? new String[0] : kernelNames.split(","));
        synchronized (ALL) {
            ALL.add(p);
        }
        return p;
    }

    /** One call of kernel {@code kernel} took {@code elapsed} ns. Runs are serialised by the runner. */
    public synchronized void add(int kernel, long elapsed) {
        if (++seen[kernel] <= WARMUP) return;
        if (calls[kernel] == samples[kernel].length) samples[kernel] = java.util.Arrays.copyOf(samples[kernel], 2 * samples[kernel].length);
        samples[kernel][(int) calls[kernel]++] = elapsed;
        nanos[kernel] += elapsed;
    }

    /** The tables of every registered program that ran, each kernel's calls, total, mean, median and share. */
    public static void print(PrintStream out) {
        List<KernelProfile> all;
        synchronized (ALL) {
            all = List.copyOf(ALL);
        }
        for (KernelProfile p : all) p.table(out);
    }

    private double median(int kernel) {
        int n = (int) calls[kernel];
        if (n == 0) return 0;
        long[] s = java.util.Arrays.copyOf(samples[kernel], n);
        java.util.Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    private synchronized void table(PrintStream out) {
        long total = 0, runs = 0;
        for (int i = 0; i < kernels.length; i++) {
            total += nanos[i];
            runs = Math.max(runs, calls[i]);
        }
        if (runs == 0) return;
        var order = new ArrayList<Integer>();
        for (int i = 0; i < kernels.length; i++) order.add(i);
        order.sort(Comparator.comparingLong((Integer i) -> nanos[i]).reversed());
        double medians = 0;
        for (int i = 0; i < kernels.length; i++) medians += median(i);
        out.printf(Locale.ROOT, "modelc.profile %s (%s time): %d runs (after %d warm-up); per run in kernels: mean %.3f ms, sum of medians %.3f ms%n",
                program, CPU ? "cpu" : "wall", runs, WARMUP, total / 1e6 / runs, medians / 1e6);
        out.printf(Locale.ROOT, "  %-24s %8s %12s %10s %10s %6s%n", "kernel", "calls", "total_ms", "mean_ms", "median_ms", "%");
        for (int i : order) {
            if (calls[i] == 0) continue;
            out.printf(Locale.ROOT, "  %-24s %8d %12.3f %10.4f %10.4f %6.1f%n", kernels[i], calls[i], nanos[i] / 1e6, nanos[i] / 1e6 / calls[i],
                    median(i) / 1e6, total == 0 ? 0 : 100.0 * nanos[i] / total);
        }
        out.flush();
    }
}
