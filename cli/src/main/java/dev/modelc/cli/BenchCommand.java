package dev.modelc.cli;

import dev.modelc.api.Backend;
import dev.modelc.api.bench.Timing;
import dev.modelc.api.bench.Workload;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Time an output entry or a training step on random inputs (every dimension variable takes the batch size).",
            "When the backend is not the interpreter, the interpreter is timed too, in the same run, for comparison.",
            "Ends with a line: median_ms=... min_ms=... max_ms=... runs=..."
        })
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @ArgGroup(exclusive = true)
    Subject subject;

    static final class Subject {
        @Option(names = "--entry", paramLabel = "NAME", description = "Time this output entry.")
        String entry;

        @Option(names = "--train", description = "Time one training step (the default).")
        boolean train;
    }

    @Option(names = "--batch", paramLabel = "N", description = "Batch size of the timed inputs (default: the train block's, else 128).")
    Long batch;

    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "Where to run: ${COMPLETION-CANDIDATES} (default: the fastest one available).")
    BackendName backend;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
            description = "How long to measure each backend, after a warm-up of a third as long (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        Backend chosen = ModelLoading.backend(backend);
        var model = ModelLoading.compile(file, chosen, err);
        long n = batch != null ? batch : model.trainingDefaults().map(d -> d.batch()).orElse(128L);
        if (n < 1) throw new UserError("--batch must be at least 1");
        if (!(seconds > 0)) throw new UserError("--seconds must be positive");
        String entry = subject == null ? null : subject.entry;
        Timing baseline = null;
        if (chosen != Backend.INTERP) {
            var interp = ModelLoading.compile(file, Backend.INTERP, new java.io.PrintWriter(java.io.Writer.nullWriter()));
            baseline = time(interp, entry, n, "interp", out);
        }
        var t = time(model, entry, n, chosen.toString(), out);
        if (baseline != null) {
            out.printf(Locale.ROOT, "speedup over interp: %.1fx%n", baseline.medianMs() / t.medianMs());
        }
        out.println(t.line());
        out.flush();
        return 0;
    }

    private Timing time(dev.modelc.api.CompiledModel model, String entry, long n, String label, java.io.PrintWriter out) {
        model.initParams();
        var work = entry == null ? Workload.trainStep(model, n) : Workload.entry(model, entry, n);
        var t = Timing.measure(work, seconds / 3, seconds, 3, 10_000);
        out.printf(Locale.ROOT, "%-7s %s: %s%n", label, work, t.line());
        out.flush();
        return t;
    }
}
