package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelc.Frontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} and {@code ir} on real files; skipped while the front end is still a stub. */
class FrontendCommandsTest {

    @TempDir
    static Path dir;

    static boolean frontendBuilt;
    static Path good;
    static Path bad;

    @BeforeAll
    static void writeSources() throws IOException {
        try {
            Frontend.create().compileString("probe.model", "").hasErrors();
            frontendBuilt = true;
        } catch (UnsupportedOperationException stub) {
            frontendBuilt = false;
        }
        good = Files.writeString(dir.resolve("good.model"), "fn double(x: f32[N]) -> f32[N] = x * 2\n");
        bad = Files.writeString(dir.resolve("bad.model"),
                "fn f(x: f32[2, 3], y: f32[4, 5]) -> f32[2, 5] = x @ y\n");
    }

    @BeforeEach
    void frontendIsBuilt() {
        assumeTrue(frontendBuilt, "the front end is not built yet");
    }

    @Test
    void checkAcceptsAGoodFileQuietly() {
        var run = CliRun.of("check", good.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertEquals("", run.out());
    }

    @Test
    void checkReportsAShapeErrorWithItsLocation() {
        var run = CliRun.of("check", good.toString(), bad.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("bad.model:1:"), run.err());
        assertFalse(run.err().contains("good.model"), run.err());
    }

    @Test
    void checkReportsAMissingFileAsADiagnostic() {
        var run = CliRun.of("check", dir.resolve("missing.model").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("missing.model"), run.err());
    }

    @Test
    void irPrintsTheLlvmModuleBeforeAndAfterOptimisation() {
        var run = CliRun.of("ir", "../examples/xor.model", "--stage", "llvm", "--entry", "probs", "--cpu", "x86-64-v3");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        int before = out.indexOf("LLVM IR as emitted from Loop IR"), after = out.indexOf("after default<O3> for x86_64");
        assertTrue(before >= 0 && after > before, out);
        assertTrue(out.indexOf("define i32 @modelc_probs(ptr") > before, out);
        assertTrue(out.lastIndexOf("define i32 @modelc_probs(ptr") > after, "the entry survives optimisation");
    }

    @Test
    void irPrintsTheAstAndTheTypedProgram() {
        for (String stage : new String[] {"ast", "typed"}) {
            var run = CliRun.of("ir", good.toString(), "--stage", stage);
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("double"), run.out());
        }
    }

    @Test
    void irOnABadFileGivesDiagnosticsAndNoIr() {
        var run = CliRun.of("ir", bad.toString(), "--stage", "typed");
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("bad.model:1:"), run.err());
    }
}
