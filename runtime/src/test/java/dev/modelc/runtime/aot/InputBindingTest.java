package dev.modelc.runtime.aot;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An AOT jar binds dimension variables as the compiler's checker does, compound axes included. */
class InputBindingTest {
    private static ProgramLayout layout(List<String> a, List<String> b) {
        return new ProgramLayout("e", List.of("N"), List.of(
                new ProgramLayout.Buffer(0, "a", DType.F32, a, true, -1),
                new ProgramLayout.Buffer(1, "b", DType.F32, b, true, -1)), Map.of("a", 0, "b", 1), Map.of());
    }

    @Test
    void aVariableOnlyACompoundAxisNamesIsSolvedFromIt() {
        assertEquals(Map.of("N", 4L), InputBinding.bind(layout(List.of("N + 1"), List.of("2 * N")),
                Map.of("a", Tensor.zeros(DType.F32, 5), "b", Tensor.zeros(DType.F32, 8))));
        assertEquals(Map.of("N", 3L), InputBinding.bind(layout(List.of("(N * 2) - 1"), List.of("3")),
                Map.of("a", Tensor.zeros(DType.F32, 5), "b", Tensor.zeros(DType.F32, 3))));
    }

    @Test
    void aPlainAxisBindsFirstAndCompoundAxesAreChecked() {
        assertEquals(Map.of("N", 4L), InputBinding.bind(layout(List.of("N"), List.of("N + 1")),
                Map.of("a", Tensor.zeros(DType.F32, 4), "b", Tensor.zeros(DType.F32, 5))));
        var e = assertThrows(IllegalArgumentException.class, () -> InputBinding.bind(layout(List.of("N"), List.of("N + 1")),
                Map.of("a", Tensor.zeros(DType.F32, 4), "b", Tensor.zeros(DType.F32, 6))));
        assertEquals("input 'b' axis 0 should be N + 1 = 5, got 6", e.getMessage());
    }

    @Test
    void anAxisNoValueOfTheVariableFitsIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> InputBinding.bind(layout(List.of("2 * N"), List.of("1")),
                Map.of("a", Tensor.zeros(DType.F32, 5), "b", Tensor.zeros(DType.F32, 1))));
        assertEquals("input 'a' axis 0 is 2 * N but has 5, which no whole N >= 0 gives", e.getMessage());
    }
}
