package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java API example compiles against the project and does what it says. */
class ReadmeExampleTest {
    @Test
    void theEmbeddingExampleCompilesAndTrainsXor(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        var m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "the README has a ```java block");
        // the example runs from the repository root and writes beside it; the test runs from tests/
        String source = m.group(1).replace("\"examples/", "\"../examples/")
                .replace("\"xor.safetensors\"", "\"" + dir.resolve("xor.safetensors").toString().replace("\\", "\\\\") + "\"");
        Path file = Files.writeString(dir.resolve("XorExample.java"), source);
        var javac = ToolProvider.getSystemJavaCompiler();
        var errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), file.toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));

        var out = new ByteArrayOutputStream();
        var saved = System.out;
        try (var loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loader.loadClass("XorExample").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        var probs = out.toString(StandardCharsets.UTF_8).strip().replaceAll("[\\[\\]]", "").split(",\\s*");
        var p = List.of(probs).stream().mapToDouble(Double::parseDouble).toArray();
        assertTrue(p[0] < 0.1 && p[1] > 0.9 && p[2] > 0.9 && p[3] < 0.1, out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.size(dir.resolve("xor.safetensors")) > 0);
    }
}
