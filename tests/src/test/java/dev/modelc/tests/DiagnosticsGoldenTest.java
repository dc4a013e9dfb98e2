package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.Compilation;
import dev.modelc.Frontend;
import dev.modelc.diag.Diagnostic;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden diagnostics suite: each {@code diagnostics/NAME.model} is a small bad program and
 * {@code diagnostics/NAME.expected} exactly what the front end prints for it
 * ({@link Compilation#renderDiagnostics()}). Files in subfolders of {@code diagnostics/} are
 * helpers that cases import; they are not cases themselves.
 *
 * <p>Cases are compiled as {@code diagnostics/NAME.model}, relative to the {@code tests} module,
 * so the text shows that path. Two things are normalised so that the text does not depend on
 * where the checkout lives or where the JVM was started: the module folder's absolute path
 * (which appears in messages about missing imports) and, when the JVM does not run in the module
 * folder, the relative path from the working directory to it.
 *
 * <p>{@code -Dgolden.update=true} rewrites the {@code .expected} files instead of comparing
 * them (and deletes ones whose {@code .model} is gone); the diff is the review.
 */
class DiagnosticsGoldenTest {
    /** The suite may only grow: fewer distinct error codes than this means cases were lost. */
    static final int MINIMUM_ERROR_CODES = 45;

    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> goldenDiagnostics() {
        if (UPDATE) removeOrphanedExpectations();
        return cases().stream().map(model -> DynamicTest.dynamicTest(name(model), model.toUri(), () -> check(model)));
    }

    @Test
    void suiteCoversEnoughErrorCodes() {
        var casesByCode = new TreeMap<String, List<String>>();
        for (Path model : cases()) {
            for (Diagnostic d : compile(model).diagnostics()) {
                if (d.isError()) casesByCode.computeIfAbsent(d.code(), k -> new ArrayList<>()).add(name(model));
            }
        }
        var report = new StringBuilder("error codes covered by diagnostics/ (" + casesByCode.size() + "):\n");
        casesByCode.forEach((code, names) -> report.append("  ").append(code).append(": ")
                .append(String.join(", ", new TreeSet<>(names))).append('\n'));
        System.out.print(report);
        assertTrue(casesByCode.size() >= MINIMUM_ERROR_CODES, "only " + casesByCode.size()
                + " distinct error codes are covered, at least " + MINIMUM_ERROR_CODES + " are required\n" + report);
    }

    /** A bad program that compiles cleanly means a check was lost; the golden text would only show an empty file. */
    @Test
    void everyCaseReportsSomething() {
        var silent = cases().stream().filter(m -> compile(m).diagnostics().isEmpty()).map(DiagnosticsGoldenTest::name).toList();
        assertTrue(silent.isEmpty(), "these cases compile without any diagnostic: " + silent);
    }

    private static void check(Path model) throws IOException {
        String actual = render(model);
        Path expectedFile = expectedFile(model);
        if (UPDATE) {
            String before = Files.exists(expectedFile) ? Files.readString(expectedFile, StandardCharsets.UTF_8) : null;
            if (!actual.equals(before)) {
                Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
                System.out.println((before == null ? "golden: created " : "golden: updated ") + display(expectedFile));
            }
            return;
        }
        if (!Files.exists(expectedFile)) {
            fail("no " + display(expectedFile) + "; create it with -Dgolden.update=true and review it. The output is:\n" + actual);
        }
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual,
                () -> "diagnostics of " + display(model) + " differ from " + display(expectedFile)
                        + " (if the change is intended, rerun with -Dgolden.update=true and review the diff)");
    }

    // ---- locating and compiling cases ----

    /** The tests module folder, whether the JVM runs in it (Maven) or in the repository root (an IDE). */
    static Path moduleDir() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path candidate : List.of(cwd, cwd.resolve("tests"))) {
            if (Files.isDirectory(candidate.resolve("diagnostics"))) return candidate;
        }
        throw new IllegalStateException("cannot find the diagnostics/ folder from " + cwd);
    }

    static Path diagnosticsDir() { return moduleDir().resolve("diagnostics"); }

    /** Every case, sorted by name: the {@code .model} files directly in {@code diagnostics/}. */
    static List<Path> cases() {
        try (Stream<Path> files = Files.list(diagnosticsDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".model") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String name(Path model) { return model.getFileName().toString().replaceFirst("\\.model$", ""); }

    private static Path expectedFile(Path model) { return model.resolveSibling(name(model) + ".expected"); }

    /** Compiled through a path relative to the working directory, as a user would type it. */
    static Compilation compile(Path model) {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        return Frontend.create().compile(cwd.relativize(model.toAbsolutePath().normalize()));
    }

    /** The rendered diagnostics with the paths that depend on the machine made relative to the module folder. */
    static String render(Path model) {
        String text = compile(model).renderDiagnostics();
        Path module = moduleDir();
        String sep = File.separator;
        text = text.replace(module + sep, "");
        String fromCwd = Path.of("").toAbsolutePath().normalize().relativize(module).toString();
        if (!fromCwd.isEmpty()) text = text.replace(fromCwd + sep + "diagnostics" + sep, "diagnostics" + sep);
        return sep.equals("/") ? text : text.replace(sep, "/");
    }

    private static String display(Path p) { return moduleDir().relativize(p.toAbsolutePath().normalize()).toString(); }

    /** In update mode: an .expected file without its .model (a case renamed or moved to diagnostics-pending/) is deleted. */
    private static void removeOrphanedExpectations() {
        try (Stream<Path> files = Files.list(diagnosticsDir())) {
            for (Path e : files.filter(p -> p.getFileName().toString().endsWith(".expected")).sorted().toList()) {
                Path model = e.resolveSibling(e.getFileName().toString().replaceFirst("\\.expected$", ".model"));
                if (!Files.exists(model)) {
                    Files.delete(e);
                    System.out.println("golden: deleted " + display(e) + " (no " + model.getFileName() + ")");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
