package dev.modelc.codegen.llvm;

import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.loops.LoopEvaluator;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.LoopProgram.Buffer;
import dev.modelc.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlvmSmokeTest {
    @Test
    void addsAndExps() {
        var n = DimExpr.var("N");
        var buffers = List.of(new Buffer(0, "a", DType.F32, List.of(n), LoopProgram.Kind.INPUT, -1),
                new Buffer(1, "y", DType.F32, List.of(n), LoopProgram.Kind.TEMP, 0));
        var body = parallel("i", idx(0), dim("N"), store(1, v("i"), add(unary(dev.modelc.graph.Op.UnaryFn.EXP, load(0, v("i"), DType.F32)), f32(1))));
        var p = new LoopProgram("e", List.of("N"), buffers, List.of(new LoopProgram.Kernel("k0", block(body), List.of(0), List.of(1))),
                Map.of("a", 0), Map.of("y", 1));

        var in = Map.of("a", Tensor.of(new float[] {0, 1, 2, -1, 0.5f}, 5));
        var expected = LoopEvaluator.run(p, in, Map.of("N", 5L));
        var actual = LlvmCompiler.compile(p).run(in, Map.of("N", 5L));
        System.out.println(expected + " " + actual);
        assertEquals(expected.get("y").toString(), actual.get("y").toString());
    }
}
