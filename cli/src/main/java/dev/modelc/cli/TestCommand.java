package dev.modelc.cli;

import dev.modelc.api.Backend;
import dev.modelc.api.golden.GoldenCase;
import dev.modelc.api.golden.GoldenException;
import dev.modelc.api.golden.GoldenRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = {
            "Run golden-output test cases on every available backend.",
            "A case is a .model file plus a folder of the same name holding input .npy files,"
                    + " optional params.safetensors and expected/NAME.npy outputs (tolerances in case.toml).",
            "Ends with 'N passed, M failed'."
        })
final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Test cases: .model files or folders of them (default: the current folder).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--update",
            description = "Rewrite the expected outputs from the reference interpreter, after showing what changed.")
    boolean update;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var cases = discover(paths.isEmpty() ? List.of(Path.of(".")) : paths);
        var runner = new GoldenRunner();
        int failed = 0;
        if (update) failed += update(runner, cases, out);
        var backends = Arrays.stream(Backend.values()).filter(Backend::available).toList();
        int passed = 0;
        for (var c : cases) {
            for (var backend : backends) {
                var result = runner.run(c, backend);
                if (result.passed()) passed++;
                else failed++;
                report(out, result.passed() ? "PASS" : "FAIL", c.name(), backend.toString(), result.failures());
            }
        }
        var skipped = Arrays.stream(Backend.values()).filter(b -> !b.available()).map(Backend::toString).toList();
        String summary = passed + " passed, " + failed + " failed";
        if (!skipped.isEmpty()) {
            out.println("skipped: " + String.join(", ", skipped) + " (not available in this build)");
            summary += ", " + skipped.size() * cases.size() + " skipped";
        }
        out.println(summary);
        out.flush();
        return failed == 0 ? 0 : Main.USER_ERROR;
    }

    /** Rewrites each case's expected files from the interpreter, printing what changes first; returns how many cases failed. */
    private static int update(GoldenRunner runner, List<GoldenCase> cases, PrintWriter out) {
        int failed = 0;
        int changed = 0;
        for (var c : cases) {
            var u = runner.update(c);
            if (!u.failures().isEmpty()) {
                failed++;
                report(out, "FAIL", c.name(), "update", u.failures());
            } else if (u.changed()) {
                changed++;
                report(out, "UPDATE", c.name(), "interp", List.of());
                u.changes().forEach(line -> out.println("      " + line));
                out.flush();
                u.write();
            }
        }
        out.println("updated " + changed + " of " + cases.size() + " cases from the interpreter");
        return failed;
    }

    /** {@code FAIL  name  [interp]: first problem}, then further problems (and multi-line diagnostics) indented. */
    private static void report(PrintWriter out, String status, String name, String backend, List<String> failures) {
        var text = new StringBuilder(status).append("  ").append(name).append("  [").append(backend).append(']');
        String sep = ": ";
        for (String failure : failures) {
            for (String line : failure.split("\n", -1)) {
                text.append(sep).append(line);
                sep = "\n      ";
            }
        }
        out.println(text);
        out.flush();
    }

    private static List<GoldenCase> discover(List<Path> paths) {
        var cases = new LinkedHashMap<Path, GoldenCase>();
        for (Path p : paths) {
            try {
                for (var c : GoldenCase.discover(p)) cases.putIfAbsent(c.model().toAbsolutePath().normalize(), c);
            } catch (GoldenException e) {
                throw new UserError(e.getMessage());
            }
        }
        return List.copyOf(cases.values());
    }
}
