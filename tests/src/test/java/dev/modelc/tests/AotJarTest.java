package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.api.Backend;
import dev.modelc.api.ModelCompiler;
import dev.modelc.cli.Main;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc compile --target jvm} writes a jar that runs in a separate JVM with only the
 * runtime jar beside it (no compiler, ASM or ANTLR), through its typed facade, and computes what
 * the interpreter computes.
 */
class AotJarTest {
    private static final Path RUNTIME_JAR = Path.of("../runtime/target/modelc-runtime-0.1.0-SNAPSHOT.jar");

    @ParameterizedTest
    @CsvSource({"xor, Xor, probs, 5:2", "mnist_cnn, MnistCnn, logits, 2:28:28:1"})
    void theJarRunsWithOnlyTheRuntime(String file, String model, String entry, String shape, @TempDir Path dir) throws Exception {
        assertTrue(Files.exists(RUNTIME_JAR), "the runtime jar is built before the tests module: " + RUNTIME_JAR.toAbsolutePath());
        Path jar = dir.resolve(file + ".jar");
        var out = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"compile", "../examples/" + file + ".model", "--target", "jvm", "-o", jar.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));

        long[] dims = java.util.Arrays.stream(shape.split(":")).mapToLong(Long::parseLong).toArray();
        var rnd = new Random(7);
        var values = new float[(int) Tensor.elementCountOf(dims)];
        for (int i = 0; i < values.length; i++) values[i] = rnd.nextFloat();
        Tensor x = Tensor.of(values, dims);
        Npy.write(dir.resolve("x.npy"), x);

        String facade = "modelc.gen." + model.toLowerCase(java.util.Locale.ROOT) + "." + model;
        String main = """
                import dev.modelc.runtime.io.Npy;
                import java.nio.file.Path;
                public class RunIt {
                    public static void main(String[] a) throws Exception {
                        try {
                            Class.forName("dev.modelc.Frontend");
                            throw new AssertionError("the compiler is on the class path");
                        } catch (ClassNotFoundException expected) {
                        }
                        var m = new %s();
                        m.model().initParams(42);
                        Npy.write(Path.of(a[1]), m.%s(Npy.read(Path.of(a[0]))));
                    }
                }
                """.formatted(facade, entry);
        Path source = Files.writeString(dir.resolve("RunIt.java"), main);
        String cp = RUNTIME_JAR.toAbsolutePath() + java.io.File.pathSeparator + jar;
        var errors = new ByteArrayOutputStream();
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-cp", cp, "-d", dir.toString(), source.toString()),
                errors.toString(StandardCharsets.UTF_8));

        var javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(List.of(javaBin, "--add-modules", "jdk.incubator.vector", "-cp", cp + java.io.File.pathSeparator + dir,
                "RunIt", dir.resolve("x.npy").toString(), dir.resolve("y.npy").toString())).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), log);
        assertEquals(0, process.exitValue(), log);

        var expected = ModelCompiler.create().compile(Path.of("../examples/" + file + ".model"), Backend.INTERP).initParams(42)
                .run(entry, Map.of("x", x)).toFloatArray();
        var actual = Npy.read(dir.resolve("y.npy")).toFloatArray();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-4 * Math.abs(expected[i]), entry + "[" + i + "]");
        }
    }

    @org.junit.jupiter.api.Test
    void theFacadeTakesInputsInDeclarationOrderAndTheJarIsReproducible(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("diff.model"),
                "model Diff {\n  input x: f32[N]\n  input y: f32[N]\n  output d = y - x\n}\n");
        Path a = dir.resolve("a.jar"), b = dir.resolve("b.jar");
        for (Path jar : List.of(a, b)) {
            var out = new ByteArrayOutputStream();
            int rc = Main.execute(new String[] {"compile", model.toString(), "--target", "jvm", "-o", jar.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "the same model gives the same jar bytes");
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {a.toUri().toURL()}, getClass().getClassLoader())) {
            Object facade = loader.loadClass("modelc.gen.diff.Diff").getConstructor().newInstance();
            var method = facade.getClass().getMethod("d", Tensor.class, Tensor.class);
            var d = (Tensor) method.invoke(facade, Tensor.of(new float[] {1, 1}, 2), Tensor.of(new float[] {3, 5}, 2));
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {2, 4}, d.toFloatArray(), "d(x, y) = y - x");
        }
    }
}
