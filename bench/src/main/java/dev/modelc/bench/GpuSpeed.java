package dev.modelc.bench;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.codegen.llvm.PtxCompiler;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.Op;
import dev.modelc.graph.TensorType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.cuda.CudaAvailability;
import dev.modelc.runtime.cuda.CudaDriver;
import dev.modelc.runtime.cuda.CudaModule;
import dev.modelc.runtime.cuda.CudaRunner;
import dev.modelc.runtime.cuda.NativeCudaDriver;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The GPU backend's kernels beside the device's own speed, for the targets: the
 * device-to-device copy bandwidth ({@code cuMemcpyDtoD}), a fused elementwise kernel's bandwidth
 * against it, and the f32 matmul's GFLOP/s (4096³ unless an argument gives N). Medians of timed
 * launches with every operand on the device ({@link CudaRunner#launchOnly}). Without a GPU it
 * prints one line saying why. {@code scripts/gpu-check.sh} runs it beside cuBLAS through PyTorch.
 */
public final class GpuSpeed {
    private GpuSpeed() {}

    private static final long ELEMENTS = 1L << 26;

    public static void main(String[] args) {
        var availability = CudaAvailability.probe();
        if (!availability.available()) {
            System.out.println("no GPU: " + availability.summary());
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        try (var driver = NativeCudaDriver.open()) {
            System.out.println("device: " + driver.device().describe());
            long bytes = ELEMENTS * Float.BYTES;
            long from = driver.allocate(bytes), to = driver.allocate(bytes);
            double copy = 2.0 * bytes / seconds(() -> {
                driver.copyOnDevice(to, from, bytes);
                driver.synchronize();
            }) / 1e9;
            driver.free(from);
            driver.free(to);
            System.out.printf("copy device to device: %.0f GB/s (read + write)%n", copy);

            var g = new GraphBuilder();
            int x = g.input(Op.Role.INPUT, "x", TensorType.of(DType.F32, DimExpr.constant(ELEMENTS)));
            var type = g.type(x);
            int y = g.binary(Op.BinaryFn.MAX, g.add(g.mul(x, g.constant(2, type)), g.constant(1, type)), g.constant(0, type));
            double elementwise = 2.0 * bytes / kernels(driver, g.build("elementwise", List.of(new Graph.Result("y", y))),
                    Map.of("x", Tensor.of(new float[(int) ELEMENTS], ELEMENTS))) / 1e9;
            System.out.printf("elementwise relu(2x + 1), %d elements: %.0f GB/s (%.0f%% of the copy)%n", ELEMENTS, elementwise, 100 * elementwise / copy);

            var m = new GraphBuilder();
            int a = m.input(Op.Role.INPUT, "a", TensorType.of(DType.F32, DimExpr.constant(n), DimExpr.constant(n)));
            int b = m.input(Op.Role.INPUT, "b", TensorType.of(DType.F32, DimExpr.constant(n), DimExpr.constant(n)));
            float[] values = MatmulSpeed.random(n * n, 1);
            double flops = 2.0 * n * n * n;
            double matmul = flops / kernels(driver, m.build("matmul", List.of(new Graph.Result("c", m.matmul(a, b)))),
                    Map.of("a", Tensor.of(values, n, n), "b", Tensor.of(values, n, n))) / 1e9;
            System.out.printf("matmul %dx%dx%d f32: %.0f GFLOP/s%n", n, n, n, matmul);
        }
    }

    /** Seconds per run of {@code g}'s kernels, every input resident on the device. */
    private static double kernels(CudaDriver driver, Graph g, Map<String, Tensor> inputs) {
        var program = PtxCompiler.lower(Fusion.fuse(g));
        var device = driver.device();
        var ptx = PtxCompiler.compile(g.name(), List.of(program), PtxCompiler.archFor(device.computeMajor(), device.computeMinor()));
        try (var module = CudaModule.load(driver, g.name(), ptx.ptx());
             var runner = new CudaRunner(ptx.plans().get(g.name()), module, inputs.keySet())) {
            inputs.forEach(runner::put);
            runner.run(Map.of(), Map.of());
            return seconds(() -> runner.launchOnly(Map.of()));
        }
    }

    /** The median of 20 timed calls after 3 untimed ones. */
    private static double seconds(Runnable work) {
        for (int i = 0; i < 3; i++) work.run();
        double[] times = new double[20];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            work.run();
            times[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}
