package dev.modelc.codegen.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelc.Frontend;
import dev.modelc.fuse.Fusion;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every entry of every example model and golden case, compiled to PTX for each architecture the
 * issue names, assembles with NVIDIA's {@code ptxas} (on the build machines without a GPU).
 */
class PtxAssemblyTest {
    private static final List<String> ARCHES = List.of("sm_80", "sm_90");

    static Stream<Arguments> models() throws IOException {
        var out = new ArrayList<Arguments>();
        for (Path dir : List.of(Path.of("../examples"), Path.of("../tests/golden"))) {
            try (var files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".model")).sorted().toList()) {
                    out.add(Arguments.of(dir.getFileName() + "/" + file.getFileName()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void assembles(String model) throws Exception {
        Path ptxas = ptxas();
        assumeTrue(ptxas != null, "no ptxas on this machine (CUDA toolkit): PTX is not assembled here");
        assumeTrue(Libdevice.find().isPresent(), "no libdevice on this machine (CUDA toolkit): PTX calling math functions is not generated here");
        Path file = Path.of("..", model.startsWith("golden") ? "tests" : "", model);
        var c = Frontend.create().compileString(model, Files.readString(file), file.getParent()).lower();
        assertFalse(c.hasErrors(), c.renderDiagnostics());
        var programs = new ArrayList<LoopProgram>();
        for (var g : c.simplified().get(0).entries()) programs.add(LoopLowering.lower(Fusion.fuse(g), 0));
        Path dir = Files.createTempDirectory("modelc-ptx");
        try {
            // both architectures' ptxas run at once: it is most of this test's time
            var runs = new ArrayList<Process>();
            var logs = new ArrayList<Path>();
            for (String arch : ARCHES) {
                var module = PtxCompiler.compile(file.getFileName().toString(), programs, arch);
                Path ptx = dir.resolve(arch + ".ptx");
                Files.writeString(ptx, module.ptx());
                logs.add(dir.resolve(arch + ".log"));
                runs.add(new ProcessBuilder(ptxas.toString(), "-arch=" + arch, ptx.toString(), "-o", dir.resolve(arch + ".cubin").toString())
                        .redirectErrorStream(true).redirectOutput(logs.getLast().toFile()).start());
            }
            for (int i = 0; i < runs.size(); i++) {
                assertTrue(runs.get(i).waitFor(120, TimeUnit.SECONDS), "ptxas timed out");
                assertEquals(0, runs.get(i).exitValue(), "ptxas -arch=" + ARCHES.get(i) + " rejected the PTX of " + model + ":\n" + Files.readString(logs.get(i)));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Asserts that {@code programs}' PTX for {@code arch} assembles with ptxas, where ptxas (and,
     * for programs calling math functions, libdevice) is on this machine; otherwise nothing.
     */
    static void assertAssembles(String name, List<LoopProgram> programs, String arch) throws Exception {
        Path ptxas = ptxas();
        if (ptxas == null || Libdevice.find().isEmpty()) return;
        var module = PtxCompiler.compile(name, programs, arch);
        Path dir = Files.createTempDirectory("modelc-ptx");
        try {
            Path ptx = dir.resolve("m.ptx");
            Files.writeString(ptx, module.ptx());
            var p = new ProcessBuilder(ptxas.toString(), "-arch=" + arch, ptx.toString(), "-o", dir.resolve("m.cubin").toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ptxas timed out");
            assertEquals(0, p.exitValue(), "ptxas -arch=" + arch + " rejected the PTX of " + name + ":\n" + log);
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    private static void assertTrue(boolean condition, String message) { org.junit.jupiter.api.Assertions.assertTrue(condition, message); }

    /** ptxas on the PATH or in the CUDA toolkit, or null. */
    static Path ptxas() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/local/cuda/bin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "ptxas");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
