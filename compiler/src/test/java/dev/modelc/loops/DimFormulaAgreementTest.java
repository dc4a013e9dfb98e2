package dev.modelc.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.check.DimExpr;
import dev.modelc.runtime.jvm.DimFormula;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The runtime reads dimension texts the compiler prints to the same values the compiler computes. */
class DimFormulaAgreementTest {
    @Test
    void randomDimensionsEvaluateAlikeFromTheirText() {
        var rnd = new Random(11);
        var names = new String[] {"B", "H", "W", "KH"};
        for (int i = 0; i < 3000; i++) {
            DimExpr d = random(rnd, names, 4);
            var values = Map.of("B", (long) rnd.nextInt(50), "H", (long) rnd.nextInt(50), "W", (long) rnd.nextInt(50), "KH", 1L + rnd.nextInt(5));
            long expected = d.evaluate(values).orElseThrow();
            assertEquals(expected, DimFormula.evaluate(d.toString(), values), d.toString() + " under " + values);
        }
    }

    private static DimExpr random(Random rnd, String[] names, int depth) {
        if (depth == 0 || rnd.nextInt(3) == 0) {
            return rnd.nextBoolean() ? DimExpr.constant(rnd.nextInt(9)) : DimExpr.var(names[rnd.nextInt(names.length)]);
        }
        DimExpr a = random(rnd, names, depth - 1), b = random(rnd, names, depth - 1);
        return switch (rnd.nextInt(4)) {
            case 0 -> a.plus(b);
            case 1 -> a.minus(b);
            case 2 -> a.times(b);
            default -> a.floorDiv(2 + rnd.nextInt(4));
        };
    }
}
