package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.api.Backend;
import dev.modelc.api.CompiledModel;
import dev.modelc.api.ModelCompiler;
import dev.modelc.cli.Main;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc compile --target llvm-cpu} writes a shared library with a C header that a C
 * program, built with the system's cc, links and drives: it reproduces the interpreter's outputs
 * at any batch size, trains as the JVM trainer does, and reads and writes the JVM side's
 * safetensors. Cross-compiling to aarch64 writes an AArch64 object.
 */
class NativeLibraryTest {
    private static final int BATCH = 8;

    @BeforeAll
    static void needsLlvmAndCc() {
        Assumptions.assumeTrue(Backend.LLVM.available(), "LLVM's natives are for linux-x86_64 only");
        Assumptions.assumeTrue(onPath("cc"), "no C compiler (cc) on the PATH: the C-linking test needs one");
    }

    @Test
    void aCProgramLinksTheLibraryAndComputesWhatJavaDoes(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("lib");
        String log = modelc("compile", "../examples/mnist_mlp.model", "--target", "llvm-cpu", "-o", lib.toString());
        assertTrue(log.contains("libmnist_mlp.so"), log);
        for (String f : List.of("mnist_mlp.h", "mnist_mlp.o", "libmnist_mlp.so", "mnist_mlp_api.c", "modelc_rt.c", "modelc_rt.h")) {
            assertTrue(Files.exists(lib.resolve(f)), f);
        }
        for (String needed : neededLibraries(lib.resolve("libmnist_mlp.so"))) {
            assertTrue(needed.matches("lib(c|m|pthread)\\.so.*|ld-linux.*"), "needs only libc, libm, threads and the loader, not " + needed);
        }

        CompiledModel model = ModelCompiler.create().compile(Path.of("../examples/mnist_mlp.model"), Backend.JVM).initParams(42);
        model.saveParams(dir.resolve("params.safetensors"));
        var rnd = new Random(11);
        float[] x = new float[BATCH * 784];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
        int[] y = new int[BATCH];
        for (int i = 0; i < y.length; i++) y[i] = rnd.nextInt(10);
        write(dir.resolve("x.bin"), x);
        write(dir.resolve("y.bin"), y);

        Path source = dir.resolve("check.c");
        try (var in = NativeLibraryTest.class.getResourceAsStream("/native/check_mnist_mlp.c")) {
            Files.write(source, in.readAllBytes());
        }
        Path exe = dir.resolve("check");
        run(dir, "cc", "-std=c11", "-Wall", "-Werror", "-I", lib.toString(), "-o", exe.toString(), source.toString(), "-L", lib.toString(),
                "-lmnist_mlp", "-Wl,-rpath," + lib.toAbsolutePath());
        assertEquals("ok", run(dir, exe.toString(), dir.toString()).strip());

        var interp = ModelCompiler.create().compile(Path.of("../examples/mnist_mlp.model"), Backend.INTERP).initParams(42);
        Tensor batch = Tensor.of(x, BATCH, 784);
        float[] expected = interp.run("logits", Map.of("x", batch)).toFloatArray();
        assertClose(expected, read(dir.resolve("logits8.bin"), BATCH * 10), "logits at batch 8");
        float[] first3 = java.util.Arrays.copyOf(expected, 30);
        assertClose(first3, read(dir.resolve("logits3.bin"), 30), "logits at batch 3");

        var trainer = model.trainer();
        var feed = Map.of("x", batch, "y", Tensor.of(y, BATCH));
        var step1 = trainer.step(feed);
        var step2 = trainer.step(feed);
        String[] fromC = Files.readString(dir.resolve("train.txt")).strip().split(" ");
        assertEquals(step1.loss(), Double.parseDouble(fromC[0]), 1e-5 * Math.abs(step1.loss()), "loss of step 1");
        assertEquals(step1.metrics().get("accuracy"), Double.parseDouble(fromC[1]), 1e-9, "accuracy of step 1");
        assertEquals(step2.loss(), Double.parseDouble(fromC[2]), 1e-5 * Math.abs(step2.loss()), "loss of step 2");
        var trained = SafeTensors.read(dir.resolve("trained.safetensors"));
        for (var p : model.paramValues().entrySet()) {
            assertClose(p.getValue().toFloatArray(), trained.get(p.getKey()).toFloatArray(), "param " + p.getKey() + " after two steps");
        }
        assertTrue(trained.containsKey("w1.m"), "the optimiser state is saved once it has moved: " + trained.keySet());
    }

    @Test
    void crossCompilingWritesAnAarch64Object(@TempDir Path dir) throws Exception {
        String log = modelc("compile", "../examples/mnist_mlp.model", "--target", "llvm-cpu", "--cpu", "aarch64", "-o", dir.toString());
        assertTrue(log.contains("not linked"), log);
        byte[] elf = Files.readAllBytes(dir.resolve("mnist_mlp.o"));
        assertEquals(0x7f, elf[0]);
        assertEquals("ELF", new String(elf, 1, 3, StandardCharsets.US_ASCII));
        assertEquals(2, elf[4], "64-bit");
        assertEquals(1, elf[5], "little-endian");
        var header = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, header.getShort(16), "a relocatable object");
        assertEquals(183, header.getShort(18), "EM_AARCH64");
        assertFalse(Files.exists(dir.resolve("libmnist_mlp.so")));
        assertTrue(Files.exists(dir.resolve("mnist_mlp.h")));
    }

    private static String modelc(String... args) {
        var out = new ByteArrayOutputStream();
        int rc = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        String log = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, log);
        return log;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish: " + out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    /** The DT_NEEDED libraries of a shared object (from readelf; none when it is missing). */
    private static List<String> neededLibraries(Path so) throws IOException, InterruptedException {
        if (!onPath("readelf")) return List.of();
        String out = run(so.getParent(), "readelf", "-d", so.toString());
        return out.lines().filter(l -> l.contains("(NEEDED)")).map(l -> l.replaceAll(".*\\[(.*)\\].*", "$1")).toList();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float tolerance = 1e-5f + 1e-4f * Math.abs(expected[i]);
            if (Math.abs(expected[i] - actual[i]) > tolerance) fail(what + " [" + i + "]: expected " + expected[i] + " but was " + actual[i]);
        }
    }

    private static void write(Path file, float[] values) throws IOException {
        var b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        Files.write(file, b.array());
    }

    private static void write(Path file, int[] values) throws IOException {
        var b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        Files.write(file, b.array());
    }

    private static float[] read(Path file, int n) throws IOException {
        var b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(n * 4, b.capacity(), file.toString());
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = b.getFloat();
        return out;
    }
}
