package dev.modelc.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphParser;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each pass over each case in {@code src/test/resources/opt/<pass>/}: {@code <case>.graph} is the
 * input (lines starting with {@code //} say what the case is about), {@code <case>.expected} the
 * printed output. Every output must verify and be a fixed point of its pass.
 */
class PassGoldenTest {
    static final Path ROOT = Path.of("src/test/resources/opt");

    static final Map<String, Pass> PASSES = Map.of(
            "dce", new DeadCodeElimination(),
            "cse", new CommonSubexpressions(),
            "fold", new ConstantFolding(),
            "algebra", new AlgebraicSimplification(),
            "simplify", Simplifier.standard());

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        var tests = new ArrayList<DynamicTest>();
        for (var e : PASSES.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            List<Path> cases = cases(e.getKey());
            tests.add(DynamicTest.dynamicTest(e.getKey() + " has at least 5 cases", () -> assertTrue(cases.size() >= 5, cases.toString())));
            for (var file : cases) {
                String name = file.getFileName().toString().replaceFirst("\\.graph$", "");
                tests.add(DynamicTest.dynamicTest(e.getKey() + "/" + name, () -> run(e.getValue(), file)));
            }
        }
        return tests.stream();
    }

    static List<Path> cases(String pass) throws IOException {
        try (var files = Files.list(ROOT.resolve(pass))) {
            return files.filter(p -> p.toString().endsWith(".graph")).sorted().toList();
        }
    }

    static Graph input(Path file) throws IOException {
        String text = Files.readString(file).lines().filter(l -> !l.strip().startsWith("//")).collect(Collectors.joining("\n"));
        return Verifier.verify(GraphParser.parse(text));
    }

    private static void run(Pass pass, Path file) throws IOException {
        Graph out = pass.apply(input(file));
        assertEquals(List.of(), Verifier.problems(out), "the verifier rejects the output");
        String text = GraphPrinter.print(out);
        GoldenFile.check(file.resolveSibling(file.getFileName().toString().replaceFirst("\\.graph$", ".expected")), text);
        assertEquals(text, GraphPrinter.print(pass.apply(out)), "applying " + pass.name() + " again changes its output");
    }
}
