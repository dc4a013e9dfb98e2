package dev.modelc.codegen;

import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.MatmulTile;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.loops.Stmt;
import dev.modelc.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A hand-built register-tiled f32 matmul ({@link MatmulTile}), serial and parallel, with and without tails, on every backend. */
class MatmulTileTest {
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestBackend.class)
    void agreesWithTheEvaluatorWithAndWithoutTails(TestBackend backend) {
        for (var schedule : Stmt.Schedule.values()) {
            for (int[] s : new int[][] {{8, 5, 32}, {11, 13, 37}, {3, 4, 15}}) {
                int m = s[0], k = s[1], n = s[2];
                Agreement.assertAgrees(backend, MatmulTile.program(schedule),
                        Map.of("a", Tensor.of(MatmulTile.random(m * k, 1), m, k), "b", Tensor.of(MatmulTile.random(k * n, 2), k, n)),
                        Map.of("M", (long) m, "K", (long) k, "N", (long) n));
            }
        }
    }
}
