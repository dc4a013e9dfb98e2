package dev.modelc.codegen;

import static dev.modelc.codegen.testing.Programs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.loops.LoopEvaluator;
import dev.modelc.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Running a compiled program on every backend: again with other dimensions, and with inputs that do not fit. */
class ProgramRunTest {
    private static Tensor floats(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i - 3.5f;
        return Tensor.of(x, n);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void runsAgainWithOtherDimensionsAndTheSameOnes(TestBackend backend) {
        var compiled = backend.compile(doubling());
        for (int n : new int[] {13, 13, 40, 5, 40}) {
            var out = compiled.run(Map.of("x", floats(n)), Map.of("N", (long) n));
            Agreement.assertSame(LoopEvaluator.run(doubling(), Map.of("x", floats(n)), Map.of("N", (long) n)), out);
            assertArrayEquals(new long[] {n}, out.get("y").shape());
            for (int i = 0; i < n; i++) assertEquals((i - 3.5f) * 2, out.get("y").getFloat(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void inputsAndDimensionsAreChecked(TestBackend backend) {
        var compiled = backend.compile(doubling());
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of(), Map.of("N", 3L)));
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", floats(3)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", floats(4)), Map.of("N", 3L)));
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", Tensor.of(new double[3], 3)), Map.of("N", 3L)));
    }
}
