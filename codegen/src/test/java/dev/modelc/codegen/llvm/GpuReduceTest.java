package dev.modelc.codegen.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.testing.Agreement;
import dev.modelc.codegen.testing.TestBackend;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.TensorType;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopPrinter;
import dev.modelc.runtime.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GPU reductions on the simulated GPU against the evaluator: a block of threads per output with
 * warp shuffles and shared memory where there are few outputs over many elements (in f32, f64,
 * i32 and i64, with a batch size known only at run time), and for softmax, log-softmax and
 * logsumexp over long rows; a thread per output (or row) otherwise.
 */
class GpuReduceTest {
    @ParameterizedTest(name = "{0} {1} of {2} over {3}, B={4}: {5}")
    @CsvSource(delimiter = ';', value = {
        "SUM; F32; 300,7; 0,1; 0; block",
        "MAX; F32; B,3; 0; 1000; block",
        "MIN; I32; 513; 0; 0; block",
        "SUM; I64; B,2,3; 0,2; 77; block",
        "SUM; F64; B; 0; 1; block",
        "PROD; F32; 256,2; 0; 0; block",
        "SUM; F32; B,40; 0; 300; thread",
        "SUM; F32; 20,30; 1; 0; thread",
        "SOFTMAX; F32; B,300; 1; 3; block",
        "LOG_SOFTMAX; F32; 2,B; 1; 1000; block",
        "LOGSUMEXP; F32; B,3,100; 1,2; 5; block",
        "SOFTMAX; F64; 4,B; 0,1; 70; block",
        "SOFTMAX; F32; B,10; 1; 6; thread",
    })
    void agreesWithTheEvaluatorAndAssembles(String fn, String dtype, String shape, String axes, long batch, String kind) throws Exception {
        var g = new GraphBuilder();
        var dims = Arrays.stream(shape.split(",")).map(d -> d.equals("B") ? DimExpr.var("B") : DimExpr.constant(Long.parseLong(d))).toArray(DimExpr[]::new);
        DType t = DType.valueOf(dtype);
        int x = g.input(Op.Role.INPUT, "x", TensorType.of(t, dims));
        var axisList = Arrays.stream(axes.split(",")).map(Integer::parseInt).toList();
        int y = switch (fn) {
            case "SOFTMAX" -> g.softmax(x, axisList);
            case "LOG_SOFTMAX" -> g.logSoftmax(x, axisList);
            case "LOGSUMEXP" -> g.logSumExp(x, axisList);
            default -> g.reduce(Op.ReduceFn.valueOf(fn), x, axisList);
        };
        Graph graph = g.build("r", List.of(new Graph.Result("y", y)));
        var fused = Fusion.fuse(graph);
        var gpu = LoopLowering.lowerForGpu(fused);
        assertEquals(kind.equals("block"), LoopPrinter.print(gpu).contains("threads(256)"), LoopPrinter.print(gpu));
        Map<String, Long> bound = shape.contains("B") ? Map.of("B", batch) : Map.of();
        long[] s = Arrays.stream(dims).mapToLong(d -> d.evaluate(bound).orElseThrow()).toArray();
        int count = (int) Tensor.elementCountOf(s);
        var rnd = new Random(count);
        Tensor input = switch (t) {
            case F32 -> {
                float[] v = new float[count];
                // products stay finite: values near 1
                for (int i = 0; i < count; i++) v[i] = fn.equals("PROD") ? (float) (1 + 0.01 * rnd.nextGaussian()) : (float) rnd.nextGaussian();
                yield Tensor.of(v, s);
            }
            case F64 -> Tensor.of(rnd.doubles(count).toArray(), s);
            case I32 -> Tensor.of(rnd.ints(count, -1000, 1000).toArray(), s);
            case I64 -> Tensor.of(rnd.longs(count, -1_000_000, 1_000_000).toArray(), s);
            default -> throw new IllegalArgumentException(dtype);
        };
        var inputs = new HashMap<String, Tensor>(Map.of("x", input));
        PtxAssemblyTest.assertAssembles(graph.name(), List.of(gpu), "sm_80");
        Agreement.assertClose(TestBackend.GPU_SIMULATED, LoopLowering.lower(fused), gpu, inputs, new HashMap<>(bound), 1e-5, 1e-6);
    }
}
