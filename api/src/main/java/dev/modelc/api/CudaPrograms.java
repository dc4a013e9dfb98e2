package dev.modelc.api;

import dev.modelc.codegen.llvm.PtxCompiler;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.cuda.CudaAvailability;
import dev.modelc.runtime.cuda.CudaDevice;
import dev.modelc.runtime.cuda.CudaModule;
import dev.modelc.runtime.cuda.CudaRunner;
import dev.modelc.runtime.cuda.NativeCudaDriver;
import java.util.List;

/**
 * The cuda backend's entries: PTX for the GPU's architecture ({@link PtxCompiler}), loaded into
 * the process's context on the first GPU, run by {@link CudaRunner}s that keep params and
 * optimiser state on the device. With {@code -Dmodelc.cuda.simulate=true} the same kernels and
 * launch plans run on this CPU instead ({@code SimulatedGpu}): slow, but it checks everything but
 * the NVPTX code generator and the driver on a machine without a GPU.
 */
final class CudaPrograms {
    private CudaPrograms() {}

    static final String SIMULATE = "modelc.cuda.simulate";

    private static NativeCudaDriver driver;

    static boolean simulated() { return Boolean.getBoolean(SIMULATE); }

    static boolean available() { return simulated() || CudaAvailability.probe().available(); }

    /** Why the backend cannot run here, in one line. */
    static String unavailable() { return "the cuda backend cannot run here: " + CudaAvailability.probe().summary(); }

    static Executables.LoopBackendProgram compile(Graph graph) {
        LoopProgram p = PtxCompiler.lower(Fusion.fuse(graph));
        if (simulated()) {
            var gpu = PtxCompiler.simulate(graph.name(), List.of(p));
            var module = CudaModule.load(gpu, graph.name(), "");
            var plan = gpu.plans().get(p.entry());
            return names -> new CudaRunner(plan, module, names);
        }
        var d = driver();
        var ptx = PtxCompiler.compile(graph.name(), List.of(p), arch(d.device()));
        var module = CudaModule.load(d, graph.name(), ptx.ptx());
        var plan = ptx.plans().get(p.entry());
        return names -> new CudaRunner(plan, module, names);
    }

    private static synchronized NativeCudaDriver driver() {
        if (!available()) throw new ModelException(unavailable());
        if (driver == null) driver = NativeCudaDriver.open();
        return driver;
    }

    static String arch(CudaDevice device) {
        try {
            return PtxCompiler.archFor(device.computeMajor(), device.computeMinor());
        } catch (IllegalArgumentException e) {
            throw new ModelException("the GPU " + device.name() + ": " + e.getMessage());
        }
    }
}
