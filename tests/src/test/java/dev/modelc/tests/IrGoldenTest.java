package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelc.Frontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The {@code ast}, {@code typed} and {@code grad} (Graph IR with the training step) and {@code opt} (simplified) stages of every example, pinned as text in tests/ir/. */
class IrGoldenTest {
    private static final Path EXAMPLES = Path.of("../examples");
    private static final Path EXPECTED = Path.of("ir");

    @TestFactory
    Stream<DynamicTest> examples() throws IOException {
        List<Path> files;
        try (var list = Files.list(EXAMPLES)) {
            files = list.filter(p -> p.toString().endsWith(".model")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no examples found in " + EXAMPLES.toAbsolutePath());
        return files.stream().flatMap(file -> {
            String name = file.getFileName().toString().replaceFirst("\\.model$", "");
            return Stream.of(
                    DynamicTest.dynamicTest(name + " ast", () -> Golden.check(EXPECTED.resolve(name + ".ast"), compile(file).astText())),
                    DynamicTest.dynamicTest(name + " typed", () -> {
                        var c = compile(file);
                        assertFalse(c.hasErrors(), c.renderDiagnostics());
                        Golden.check(EXPECTED.resolve(name + ".typed"), c.typedText());
                    }),
                    DynamicTest.dynamicTest(name + " grad", () -> {
                        var c = compile(file).lower();
                        assertFalse(c.hasErrors(), c.renderDiagnostics());
                        var text = new StringBuilder();
                        for (var m : c.graphs()) text.append(dev.modelc.graph.GraphPrinter.print(m));
                        Golden.check(EXPECTED.resolve(name + ".grad"), text.toString());
                    }),
                    DynamicTest.dynamicTest(name + " opt", () -> {
                        var c = compile(file).lower();
                        assertFalse(c.hasErrors(), c.renderDiagnostics());
                        var text = new StringBuilder();
                        for (var m : c.simplified()) text.append(dev.modelc.graph.GraphPrinter.print(m));
                        Golden.check(EXPECTED.resolve(name + ".opt"), text.toString());
                    }));
        });
    }

    private static dev.modelc.Compilation compile(Path file) throws IOException {
        return Frontend.create().compileString("examples/" + file.getFileName(), Files.readString(file), file.getParent());
    }
}
