package dev.modelc.api.golden;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.api.Backend;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenRunnerTest {
    private static final String MODEL = """
            model Twice {
              input x: f32[3]
              output y = x * 2
              output total = sum(x)
              input w: f32[3]
              output other = x + w
            }
            """;
    private static final Tensor X = Tensor.of(new float[] {1, 2, 3}, 3);

    @TempDir
    Path dir;

    private GoldenCase write(String name, String model, Tensor y) throws Exception {
        Files.writeString(dir.resolve(name + ".model"), model);
        Files.createDirectories(dir.resolve(name).resolve("expected"));
        Npy.write(dir.resolve(name).resolve("x.npy"), X);
        if (y != null) Npy.write(dir.resolve(name).resolve("expected/y.npy"), y);
        return GoldenCase.of(dir.resolve(name + ".model"));
    }

    private static List<String> run(GoldenCase c) { return new GoldenRunner().run(c, Backend.INTERP).failures(); }

    @Test
    void aCaseWithTheRightValuesPasses() throws Exception {
        var c = write("twice", MODEL, Tensor.of(new float[] {2, 4, 6.0001f}, 3));
        assertEquals(List.of(), run(c));
        assertEquals(List.of("x"), List.copyOf(c.inputs().keySet()));
        assertEquals(Tolerance.F64, c.readTolerances().apply(dev.modelc.runtime.DType.F64));
    }

    @Test
    void aWrongValueFailsWithTheEntryAndElement() throws Exception {
        var c = write("twice", MODEL, Tensor.of(new float[] {2, 4, 7}, 3));
        assertEquals(List.of("y[2]: 6.0 vs expected 7.0 (1 of 3 elements differ; rtol=1e-4 atol=1e-5)"), run(c));
        Files.writeString(c.folder().resolve("case.toml"), "rtol = 0.2\n");
        assertEquals(List.of(), run(GoldenCase.of(c.model())));
    }

    @Test
    void aCompileErrorIsAFailedCaseWithItsDiagnostics() throws Exception {
        var c = write("broken", "model Broken {\n  input x: f32[3]\n  output y = x @ x @ x\n}\n", Tensor.of(new float[] {2, 4, 6}, 3));
        var failures = run(c);
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith(c.model() + " does not compile:\n"), failures.get(0));
        assertTrue(failures.get(0).contains("broken.model:3:"), failures.get(0));
    }

    @Test
    void malformedCasesFailAndNameTheProblem() throws Exception {
        var c = write("twice", MODEL, null);
        assertEquals(List.of("no expected outputs in " + c.folder().resolve("expected") + " (--update writes them)"), run(c));
        Npy.write(c.folder().resolve("expected/ys.npy"), X);
        Files.writeString(c.folder().resolve("case.toml"), "rtol = 1\nrtol = 2\n");
        assertEquals(List.of(c.folder().resolve("case.toml") + ":2: rtol is set twice"), run(GoldenCase.of(c.model())));
        Files.delete(c.folder().resolve("case.toml"));
        Npy.write(c.folder().resolve("z.npy"), X);
        assertEquals(List.of(c.folder().resolve("z.npy") + " is not an input of model Twice (its inputs: x, w)"), run(GoldenCase.of(c.model())));
        Files.delete(c.folder().resolve("z.npy"));
        assertEquals(List.of(c.folder().resolve("expected/ys.npy") + ": model Twice has no entry 'ys'"), run(GoldenCase.of(c.model())));
    }

    @Test
    void updateShowsWhatChangesThenWritesIt() throws Exception {
        var c = write("twice", MODEL, Tensor.of(new float[] {2, 4, 7}, 3));
        Npy.write(c.folder().resolve("expected/gone.npy"), X);
        var update = new GoldenRunner().update(GoldenCase.of(c.model()));
        assertEquals(List.of(), update.failures());
        assertEquals(List.of("y: max abs change 1.00 (1 of 3 elements)", "total: new",
                "gone: removed (model Twice has no such entry)"), update.changes());
        assertFalse(update.values().containsKey("other"), "the case has no w.npy and does not check 'other'");
        update.write();
        assertEquals(Tensor.of(new float[] {2, 4, 6}, 3), Npy.read(c.folder().resolve("expected/y.npy")));
        assertEquals(Tensor.scalar(6f), Npy.read(c.folder().resolve("expected/total.npy")));
        assertFalse(Files.exists(c.folder().resolve("expected/gone.npy")));
        var again = new GoldenRunner().update(GoldenCase.of(c.model()));
        assertFalse(again.changed(), again.changes().toString());
        assertEquals(List.of(), run(GoldenCase.of(c.model())));
    }

    @Test
    void discoveryFindsCasesByTheirFolders() throws Exception {
        write("b", MODEL, Tensor.of(new float[] {2, 4, 6}, 3));
        write("a", MODEL, Tensor.of(new float[] {2, 4, 6}, 3));
        Files.writeString(dir.resolve("helper.model"), "fn f(x: f32) -> f32 = x\n");
        assertEquals(List.of("a", "b"), GoldenCase.discover(dir).stream().map(GoldenCase::name).toList());
        assertEquals(List.of("b"), GoldenCase.discover(dir.resolve("b")).stream().map(GoldenCase::name).toList());
        assertEquals(List.of("a"), GoldenCase.discover(dir.resolve("a.model")).stream().map(GoldenCase::name).toList());
        var none = assertThrows(GoldenException.class, () -> GoldenCase.discover(dir.resolve("a/expected")));
        assertTrue(none.getMessage().startsWith("no test cases in "), none.getMessage());
        var lone = assertThrows(GoldenException.class, () -> GoldenCase.discover(dir.resolve("helper.model")));
        assertTrue(lone.getMessage().contains("there is no folder"), lone.getMessage());
    }
}
