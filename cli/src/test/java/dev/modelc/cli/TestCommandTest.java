package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.api.Backend;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCommandTest {
    private static final List<String> AVAILABLE = Arrays.stream(Backend.values()).filter(Backend::available).map(Backend::toString).toList();
    private static final List<String> MISSING = Arrays.stream(Backend.values()).filter(b -> !b.available()).map(Backend::toString).toList();
    private static final String SUMMARY_TAIL = "skipped: " + String.join(", ", MISSING) + " (not available in this build)\n";

    /** One line per available backend, e.g. {@code PASS  twice  [interp]}. */
    private static String each(String line) {
        return AVAILABLE.stream().map(b -> line.replace("BACKEND", b) + "\n").collect(Collectors.joining());
    }

    private static String summary(int passed, int failed, int cases) {
        return SUMMARY_TAIL + (passed * AVAILABLE.size()) + " passed, " + (failed * AVAILABLE.size()) + " failed, "
                + (cases * MISSING.size()) + " skipped\n";
    }

    @TempDir
    Path dir;

    /** A case computing {@code y = x * 2} on x = [1, 2, 3], with {@code y} as given. */
    private Path writeCase(String name, String model, float... y) throws Exception {
        Files.writeString(dir.resolve(name + ".model"), model);
        Files.createDirectories(dir.resolve(name).resolve("expected"));
        Npy.write(dir.resolve(name).resolve("x.npy"), Tensor.of(new float[] {1, 2, 3}, 3));
        Npy.write(dir.resolve(name).resolve("expected/y.npy"), Tensor.of(y, 3));
        return dir.resolve(name + ".model");
    }

    private Path twice(String name, float... y) throws Exception {
        return writeCase(name, "model Twice {\n  input x: f32[3]\n  output y = x * 2\n}\n", y);
    }

    @Test
    void aPassingCase() throws Exception {
        twice("twice", 2, 4, 6);
        var run = CliRun.of("test", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(each("PASS  twice  [BACKEND]") + summary(1, 0, 1), run.out());
        assertEquals("", run.err());
    }

    @Test
    void aFailingCaseSaysWhereAndByHowMuch() throws Exception {
        twice("a_good", 2, 4, 6);
        var bad = twice("b_bad", 2, 4.5f, 6);
        var run = CliRun.of("test", dir.toString());
        assertEquals(1, run.exitCode());
        assertEquals(each("PASS  a_good  [BACKEND]")
                + each("FAIL  b_bad  [BACKEND]: y[1]: 4.0 vs expected 4.5 (1 of 3 elements differ; rtol=1e-4 atol=1e-5)")
                + summary(1, 1, 2), run.out());
        var one = CliRun.of("test", bad.toString());
        assertEquals(1, one.exitCode());
        assertTrue(one.out().endsWith(summary(0, 1, 1)), one.out());
    }

    @Test
    void updateShowsTheChangeAndRewritesTheExpectedFile() throws Exception {
        twice("twice", 2, 4.5f, 6);
        var run = CliRun.of("test", "--update", dir.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals("UPDATE  twice  [interp]\n"
                + "      y: max abs change 0.500 (1 of 3 elements)\n"
                + "updated 1 of 1 cases from the interpreter\n"
                + each("PASS  twice  [BACKEND]") + summary(1, 0, 1), run.out());
        assertEquals(Tensor.of(new float[] {2, 4, 6}, 3), Npy.read(dir.resolve("twice/expected/y.npy")));
        var again = CliRun.of("test", "--update", dir.toString());
        assertTrue(again.out().startsWith("updated 0 of 1 cases from the interpreter\nPASS  twice  [interp]\n"), again.out());
    }

    @Test
    void aCaseThatDoesNotCompileFailsWithItsDiagnostics() throws Exception {
        var model = writeCase("broken", "model Broken {\n  input x: f32[3]\n  output y = x @ x @ x\n}\n", 2, 4, 6);
        twice("twice", 2, 4, 6);
        var run = CliRun.of("test", dir.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.out().startsWith("FAIL  broken  [interp]: " + model + " does not compile:\n      " + model + ":3:"), run.out());
        assertTrue(run.out().contains("\nPASS  twice  [interp]\n"), run.out());
        assertTrue(run.out().endsWith(summary(1, 1, 2)), run.out());
        assertEquals("", run.err());
    }

    @Test
    void aPathWithoutCasesIsAUserError() {
        var run = CliRun.of("test", dir.toString());
        assertEquals(1, run.exitCode());
        assertEquals("modelc: no test cases in " + dir + " (a case is NAME.model next to a folder NAME/)\n", run.err());
        var missing = CliRun.of("test", dir.resolve("nope").toString());
        assertEquals("modelc: " + dir.resolve("nope") + " does not exist\n", missing.err());
    }
}
