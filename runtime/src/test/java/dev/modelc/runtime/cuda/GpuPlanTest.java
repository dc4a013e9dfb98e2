package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuPlanTest {
    private static final GpuPlan PLAN = new GpuPlan(
            new ProgramLayout("train_step", List.of("B", "H"), List.of(
                    new ProgramLayout.Buffer(0, "w", DType.F32, List.of("H", "10"), true, -1),
                    new ProgramLayout.Buffer(1, "x", DType.F32, List.of("B", "H"), true, -1),
                    new ProgramLayout.Buffer(2, "t0", DType.F32, List.of("B", "H - 2 + 1"), false, 0),
                    new ProgramLayout.Buffer(3, "t1", DType.F32, List.of("(B*2)/2"), false, 0),
                    new ProgramLayout.Buffer(4, "mask", DType.BOOL, List.of(), false, 1)),
                    Map.of("w", 0, "x", 1), Map.of("loss", 3, "w", 2)),
            List.of(new GpuPlan.Launch("k0_matmul", GpuPlan.Mode.GRID, List.of(List.of(1), List.of(0), List.of(2, 3))),
                    new GpuPlan.Launch("k1_sum", GpuPlan.Mode.SINGLE, List.of(List.of(3), List.of(4))),
                    new GpuPlan.Launch("k2_none", GpuPlan.Mode.SINGLE, List.of())));

    @Test
    void theTextFormRoundTrips() {
        String text = PLAN.toText();
        var back = GpuPlan.fromText(text);
        assertEquals(PLAN, back);
        assertEquals(text, back.toText());
        assertTrue(text.contains("launch\tk0_matmul\tgrid\t1\t0\t2,3\n"), text);
        assertTrue(text.endsWith("launch\tk2_none\tsingle\n"), text);
    }

    @Test
    void aBadLaunchLineSaysWhichLine() {
        String text = PLAN.toText().replace("\tsingle\t3", "\tsometimes\t3");
        var e = assertThrows(IllegalArgumentException.class, () -> GpuPlan.fromText(text));
        assertTrue(e.getMessage().matches("gpu plan line \\d+: unknown launch mode sometimes"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> GpuPlan.fromText(PLAN.toText().replace("2,3", "2,x")));
        assertTrue(e2.getMessage().startsWith("gpu plan line "), e2.getMessage());
    }

    @Test
    void itsListsCannotBeChanged() {
        assertThrows(UnsupportedOperationException.class, () -> PLAN.launches().clear());
        assertThrows(UnsupportedOperationException.class, () -> PLAN.launches().getFirst().storages().getFirst().clear());
    }
}
