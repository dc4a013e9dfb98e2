package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.api.Backend;
import dev.modelc.api.golden.GoldenCase;
import dev.modelc.api.golden.GoldenRunner;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every golden-output case in tests/golden (expected values from PyTorch, see
 * tests/reference/README.md) on every backend, through the same runner as {@code ./modelc test}.
 * Backends this build lacks are reported as skipped.
 */
class GoldenCasesTest {
    private static final Path CASES = Path.of("golden");

    @TestFactory
    Stream<DynamicTest> cases() {
        var cases = GoldenCase.discover(CASES);
        assertTrue(cases.size() >= 80, "only " + cases.size() + " cases found in " + CASES.toAbsolutePath());
        var runner = new GoldenRunner();
        return cases.stream().flatMap(c -> Arrays.stream(Backend.values()).map(backend ->
                DynamicTest.dynamicTest(c.name() + " [" + backend + "]", c.model().toUri(), () -> {
                    Assumptions.assumeTrue(backend.available(), backend + " is not available in this build");
                    var result = runner.run(c, backend);
                    if (!result.passed()) throw new AssertionError(c.name() + " [" + backend + "]: " + String.join("\n", result.failures()));
                })));
    }
}
