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
                    Assumptions.assumeTrue(backend.available(), () -> backend.unavailableReason());
                    var result = runner.run(c, backend);
                    if (!result.passed()) throw new AssertionError(c.name() + " [" + backend + "]: " + String.join("\n", result.failures()));
                })));
    }

    /**
     * Every case on the cuda backend's kernels and launch plans run on this CPU by the CUDA
     * runtime ({@code -Dmodelc.cuda.simulate=true}): on machines without a GPU this checks all of
     * the GPU path but the NVPTX code generator (see PtxAssemblyTest) and the driver.
     */
    @TestFactory
    Stream<DynamicTest> casesOnSimulatedGpu() {
        var runner = new GoldenRunner();
        return GoldenCase.discover(CASES).stream().map(c -> DynamicTest.dynamicTest(c.name() + " [cuda, simulated]", c.model().toUri(), () -> {
            String before = System.setProperty("modelc.cuda.simulate", "true");
            try {
                var result = runner.run(c, Backend.CUDA);
                if (!result.passed()) throw new AssertionError(c.name() + " [cuda, simulated]: " + String.join("\n", result.failures()));
            } finally {
                if (before == null) System.clearProperty("modelc.cuda.simulate");
                else System.setProperty("modelc.cuda.simulate", before);
            }
        }));
    }
}
