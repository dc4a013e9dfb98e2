package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.cuda.GpuPlan;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;

/**
 * The GPU backend's code generation: Loop IR → LLVM IR for NVPTX ({@link PtxModuleEmitter}) →
 * libdevice linked where math functions are called → {@code default<O3>} → PTX text for one GPU
 * architecture, with a {@link GpuPlan} per entry that the runtime launches it by. PTX made for
 * {@code sm_90} does not assemble for {@code sm_80}, so it is one module per architecture; the
 * driver compiles PTX for newer GPUs than its architecture too.
 */
public final class PtxCompiler {
    private PtxCompiler() {}

    public static final String TRIPLE = "nvptx64-nvidia-cuda";

    /** The default architecture: Ampere (A100), whose PTX also runs on Hopper. */
    public static final String DEFAULT_ARCH = "sm_80";

    /** The architectures modelc writes PTX for. */
    public static final List<String> ARCHES = List.of("sm_70", "sm_75", "sm_80", "sm_86", "sm_89", "sm_90");

    /** A model's PTX for one architecture, and each entry's launches. */
    public record PtxModule(String arch, String ptx, Map<String, GpuPlan> plans) {
        public PtxModule {
            plans = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plans));
        }
    }

    /** Where NVIDIA's libdevice is on this machine, if anywhere: needed to generate PTX that calls math functions. */
    public static java.util.Optional<java.nio.file.Path> libdevice() { return Libdevice.find(); }

    /**
     * Loop IR for GPU kernels ({@link dev.modelc.loops.LoopLowering#lowerForGpu}); with
     * {@code -Dmodelc.cuda.tf32=true}, f32 matrix products on the tensor cores with TF32 inputs
     * (about 3 decimal digits per input; sm_80 and newer).
     */
    public static LoopProgram lower(dev.modelc.fuse.FusedGraph fused) {
        return dev.modelc.loops.LoopLowering.lowerForGpu(fused, Boolean.getBoolean(TF32));
    }

    /** The system property that puts f32 matrix products on the tensor cores (TF32). */
    public static final String TF32 = "modelc.cuda.tf32";

    /** One module holding every program's kernels (their names start with each entry's). */
    public static PtxModule compile(String model, List<LoopProgram> programs, String arch) {
        check(arch, programs);
        synchronized (LlvmCompiler.LOCK) {
            try (var c = new Compilation(model, programs, arch, false)) {
                c.optimize();
                return new PtxModule(arch, c.ptx(), c.plans);
            }
        }
    }

    /** The module before and after optimisation, and the PTX ({@code modelc ir --stage ptx}). */
    public static String listing(LoopProgram p, String arch) {
        check(arch, List.of(p));
        synchronized (LlvmCompiler.LOCK) {
            try (var c = new Compilation(p.entry(), List.of(p), arch, false)) {
                String before = c.emitted;
                c.optimize();
                var sb = new StringBuilder();
                sb.append("; ---- ").append(p.entry()).append(": Loop IR for the GPU ----\n").append(dev.modelc.loops.LoopPrinter.print(p));
                sb.append("\n; ---- ").append(p.entry()).append(": LLVM IR for NVPTX as emitted from Loop IR ----\n").append(before);
                sb.append("\n; ---- ").append(p.entry()).append(": launches ----\n");
                for (var l : c.plans.get(p.entry()).launches()) {
                    sb.append("; ").append(l.function()).append(' ').append(l.mode().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(l.storages()).append('\n');
                }
                sb.append("\n// ---- ").append(p.entry()).append(": PTX for ").append(arch).append(" after default<O3> ----\n").append(c.ptx());
                return sb.toString();
            }
        }
    }

    /** {@code -Dmodelc.llvm.timing=true}: each phase's time on standard error. */
    private static final boolean TIMING = Boolean.getBoolean("modelc.llvm.timing");

    /**
     * The same kernels and plans compiled for this CPU instead, each launch's threads run one
     * after another: a stand-in for a GPU in tests ({@link SimulatedGpu}).
     */
    public static SimulatedGpu simulate(String model, List<LoopProgram> programs) {
        byte[] object;
        Map<String, GpuPlan> plans;
        Map<String, List<Long>> shared;
        synchronized (LlvmCompiler.LOCK) {
            try (var c = new Compilation(model, programs, null, true)) {
                c.optimize();
                object = c.object();
                plans = c.plans;
                shared = c.sharedBytes;
            }
        }
        return new SimulatedGpu(plans, shared, LlvmJit.load(object, model + ".simulated.o"));
    }

    /**
     * The newest architecture modelc writes PTX for that a GPU of compute capability
     * {@code major.minor} runs (the driver compiles PTX for older architectures on newer GPUs).
     *
     * @throws IllegalArgumentException for a GPU older than every architecture here
     */
    public static String archFor(int major, int minor) {
        int version = major * 10 + minor;
        String best = null;
        for (String arch : ARCHES) {
            if (Integer.parseInt(arch.substring(3)) <= version) best = arch;
        }
        if (best == null) throw new IllegalArgumentException("a GPU of compute capability " + major + "." + minor + " is older than modelc supports (" + ARCHES.getFirst() + ")");
        return best;
    }

    /** A known architecture, and sm_80 or newer where the programs use the tensor cores. */
    private static void check(String arch, List<LoopProgram> programs) {
        checkArch(arch);
        if (Integer.parseInt(arch.substring(3)) < 80 && programs.stream().anyMatch(PtxCompiler::usesTensorCores)) {
            throw new IllegalArgumentException("TF32 tensor cores (" + TF32 + ") need sm_80 or newer, not " + arch);
        }
    }

    private static boolean usesTensorCores(LoopProgram p) { return p.kernels().stream().anyMatch(k -> usesTensorCores(k.body())); }

    private static boolean usesTensorCores(dev.modelc.loops.Stmt s) {
        return switch (s) {
            case dev.modelc.loops.Stmt.Block b -> b.body().stream().anyMatch(PtxCompiler::usesTensorCores);
            case dev.modelc.loops.Stmt.Loop l -> usesTensorCores(l.body());
            case dev.modelc.loops.Stmt.If i -> usesTensorCores(i.then()) || usesTensorCores(i.otherwise());
            case dev.modelc.loops.Stmt.MmaTf32 m -> true;
            default -> false;
        };
    }

    static void checkArch(String arch) {
        if (!ARCHES.contains(arch)) {
            throw new IllegalArgumentException("unknown GPU architecture '" + arch + "'; modelc writes PTX for " + String.join(", ", ARCHES));
        }
    }

    private static final class Compilation implements AutoCloseable {
        private final LLVMContextRef context;
        private final LLVMModuleRef module;
        private final LLVMTargetMachineRef machine;
        private final String arch;
        final Map<String, GpuPlan> plans = new LinkedHashMap<>();
        final Map<String, List<Long>> sharedBytes = new LinkedHashMap<>();
        /** The module as emitted, before libdevice is linked in. */
        final String emitted;

        /** @param arch the GPU architecture, or null for this CPU (simulated) */
        Compilation(String model, List<LoopProgram> programs, String arch, boolean simulated) {
            LlvmNatives.load();
            this.arch = simulated ? "host" : arch;
            this.context = LLVMContextCreate();
            var ir = new Ir(context, "modelc." + model, simulated ? "" : Libdevice.PREFIX);
            this.module = ir.module;
            var target = simulated ? LlvmTarget.host() : new LlvmTarget(TRIPLE, arch, "");
            this.machine = target.machine();
            LLVMSetTarget(module, target.triple());
            var layout = LLVMCreateTargetDataLayout(machine);
            LLVMSetModuleDataLayout(module, layout);
            LLVMDisposeTargetData(layout);
            for (var p : programs) {
                var emitter = new PtxModuleEmitter(ir, p, simulated);
                emitter.emit();
                plans.put(p.entry(), new GpuPlan(JvmCompiler.layout(p), emitter.launches()));
                sharedBytes.putAll(emitter.sharedBytes());
            }
            ModuleCode.verify(module, model);
            emitted = text();
            long t0 = System.nanoTime();
            if (!simulated && Libdevice.needed(module)) Libdevice.link(module, model);
            if (TIMING) System.err.printf("modelc.ptx %s: libdevice linked in %.1f ms%n", model, (System.nanoTime() - t0) / 1e6);
        }

        void optimize() {
            long t0 = System.nanoTime();
            LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
            try {
                // unrolling the CPU-shaped inner loops made PTX generation 2.6x slower (examples and
                // golden cases: 33 s against 13 s), for kernels that are not yet tuned for GPUs
                LLVMPassBuilderOptionsSetLoopUnrolling(options, Boolean.parseBoolean(System.getProperty("modelc.ptx.unroll", "false")) ? 1 : 0);
                // libdevice's unused functions go first, so that O3 spends no time on them
                LlvmJit.check(LLVMRunPasses(module, "globaldce", machine, options), "dropping unused libdevice functions");
                long t1 = System.nanoTime();
                LlvmJit.check(LLVMRunPasses(module, "default<O3>", machine, options), "optimising for " + arch);
                if (TIMING) System.err.printf("modelc.ptx: globaldce %.1f ms, O3 %.1f ms%n", (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6);
            } finally {
                LLVMDisposePassBuilderOptions(options);
            }
        }

        String ptx() {
            long t0 = System.nanoTime();
            try {
                return emitPtx();
            } finally {
                if (TIMING) System.err.printf("modelc.ptx: PTX written in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            }
        }

        private String emitPtx() { return new String(emit(LLVMAssemblyFile), StandardCharsets.UTF_8); }

        byte[] object() { return emit(LLVMObjectFile); }

        private byte[] emit(int fileType) { return ModuleCode.emit(machine, module, fileType, arch); }

        String text() { return ModuleCode.text(module); }

        @Override
        public void close() {
            LLVMDisposeModule(module);
            LLVMDisposeTargetMachine(machine);
            LLVMContextDispose(context);
        }
    }
}
