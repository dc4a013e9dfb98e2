package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelc.loops.LoopAgreement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every entry of the dense examples, simplified, fused and lowered to Loop IR, computes what the
 * interpreter computes on the same random inputs, within the golden tests' f32 tolerance (f32
 * matmul tiles accumulate in f32 with fused multiply-adds; the interpreter in double). The
 * convolutional examples are left to the backends' golden runs: their every op is checked at
 * 1e-9 by VjpFiniteDifferenceTest, and the Loop IR evaluator takes ~20 s per CNN step.
 */
class LoopLoweringExamplesTest {
    private static final Path EXAMPLES = Path.of("../examples");

    @TestFactory
    Stream<DynamicTest> examples() throws IOException {
        try (var list = Files.list(EXAMPLES)) {
            return list.filter(p -> p.toString().endsWith(".model") && !p.toString().contains("cnn")).sorted().toList().stream().flatMap(file -> {
                var c = SimplifiedEquivalenceTest.compile(file);
                assertFalse(c.hasErrors(), c.renderDiagnostics());
                String name = file.getFileName().toString().replaceFirst("\\.model$", "");
                return c.simplified().get(0).entries().stream().map(g -> DynamicTest.dynamicTest(name + " " + g.name(),
                        () -> LoopAgreement.check(g, SimplifiedEquivalenceTest.randomInputs(g, new Random(g.name().hashCode())), 1e-4, 1e-5)));
            });
        }
    }
}
