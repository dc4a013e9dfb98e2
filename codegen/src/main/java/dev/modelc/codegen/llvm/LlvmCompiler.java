package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.codegen.jvm.JvmCompiler;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.foreign.NativeKernelTimer;
import dev.modelc.runtime.jvm.KernelProfile;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;

/**
 * The LLVM backend: Loop IR → LLVM IR ({@link ModuleEmitter}) → the new pass manager's
 * {@code default<O3>} for a target → an object file, which is either linked into this process
 * (ORC LLJIT, {@link #compile}) or written out for a shared library. Object code for the JIT is
 * cached in memory and on disk ({@link ObjectCache}), keyed by a hash of the unoptimised IR and
 * the target, so a model compiles once per machine.
 *
 * <p>LLVM's contexts are not shared between threads; every compilation holds one lock.
 */
public final class LlvmCompiler {
    private LlvmCompiler() {}

    static final Object LOCK = new Object();

    /**
     * Compiles {@code p} for this machine (or the CPU named by {@code -Dmodelc.llvm.cpu}, e.g.
     * {@code x86-64-v3} to try the shipped baseline in process) and loads it; parallel loops use
     * the thread pool.
     */
    public static LlvmProgram compile(LoopProgram p) { return compile(p, LlvmTarget.named(System.getProperty("modelc.llvm.cpu"))); }

    /** As {@link #compile(LoopProgram)} for a host-compatible {@code target} (e.g. a lower CPU). */
    public static LlvmProgram compile(LoopProgram p, LlvmTarget target) { return compile(p, target, KernelProfile.ENABLED); }

    /** As {@link #compile(LoopProgram, LlvmTarget)}, timing each kernel into a {@link KernelProfile} when {@code profiled}. */
    static LlvmProgram compile(LoopProgram p, LlvmTarget target, boolean profiled) {
        long start = System.nanoTime();
        byte[] object;
        String cached;
        long emitted, optimized;
        synchronized (LOCK) {
            try (var c = new Compilation(List.of(new Unit(p, ModuleEmitter.symbol(p.entry()), true, profiled)), target)) {
                String key = ObjectCache.key(target, c.text());
                emitted = System.nanoTime();
                object = ObjectCache.find(key);
                cached = object != null ? "cached" : "compiled";
                if (object == null) {
                    c.optimize();
                    optimized = System.nanoTime();
                    object = c.object();
                    ObjectCache.put(key, object);
                } else {
                    optimized = emitted;
                }
            }
        }
        long generated = System.nanoTime();
        var jit = LlvmJit.load(object, p.entry() + ".o");
        long address = jit.lookup(ModuleEmitter.symbol(p.entry()));
        if (profiled) {
            long hook = jit.lookup(ModuleEmitter.profileHook(ModuleEmitter.symbol(p.entry())));
            var names = p.kernels().stream().map(LoopProgram.Kernel::name).toList();
            MemorySegment.ofAddress(hook).reinterpret(8).set(java.lang.foreign.ValueLayout.ADDRESS, 0, NativeKernelTimer.hook(p.entry() + " (llvm)", names));
        }
        if (TIMING) {
            long end = System.nanoTime();
            System.err.printf("modelc.llvm %s: %s in %.1f ms (LLVM natives loaded in %.1f ms; emit %.1f, O3 %.1f, codegen %.1f, link %.1f ms)%n",
                    p.entry(), cached, ms(end - start), ms(LlvmNatives.loadNanos()), ms(emitted - start), ms(optimized - emitted),
                    ms(generated - optimized), ms(end - generated));
        }
        return new LlvmProgram(p, JvmCompiler.layout(p), MemorySegment.ofAddress(address), jit);
    }

    /** {@code -Dmodelc.llvm.timing=true}: one line per in-process compilation on standard error, with its phases. */
    private static final boolean TIMING = Boolean.getBoolean("modelc.llvm.timing");

    private static double ms(long nanos) { return nanos / 1e6; }

    /**
     * A program and the name of its entry function in a module: exported (the JIT looks it up)
     * or hidden (a shared library exports its C API instead).
     */
    public record Unit(LoopProgram program, String symbol, boolean exported, boolean profiled) {
        public Unit(LoopProgram program, String symbol, boolean exported) { this(program, symbol, exported, false); }

        static Unit jit(LoopProgram p) { return new Unit(p, ModuleEmitter.symbol(p.entry()), true, false); }
    }

    /** One object file (relocatable ELF, position-independent) holding every unit, for {@code target}. */
    public static byte[] object(List<Unit> units, LlvmTarget target) {
        synchronized (LOCK) {
            try (var c = new Compilation(units, target)) {
                c.optimize();
                return c.object();
            }
        }
    }

    /** The target's assembly for {@code p} after optimisation (for tests that look at the instructions). */
    public static String assembly(LoopProgram p, LlvmTarget target) {
        synchronized (LOCK) {
            try (var c = new Compilation(List.of(Unit.jit(p)), target)) {
                c.optimize();
                return new String(c.emit(LLVMAssemblyFile), StandardCharsets.UTF_8);
            }
        }
    }

    /** The module before and after optimisation, as text ({@code modelc ir --stage llvm}). */
    public static String listing(LoopProgram p, LlvmTarget target) {
        synchronized (LOCK) {
            try (var c = new Compilation(List.of(Unit.jit(p)), target)) {
                String before = c.text();
                c.optimize();
                return "; ---- " + p.entry() + ": LLVM IR as emitted from Loop IR ----\n" + before
                        + "\n; ---- " + p.entry() + ": after default<O3> for " + target + " ----\n" + c.text();
            }
        }
    }

    /** One module in its own context, from emission to object code. */
    private static final class Compilation implements AutoCloseable {
        private final LLVMContextRef context;
        private final LLVMModuleRef module;
        private final LLVMTargetMachineRef machine;
        private final LlvmTarget target;

        Compilation(List<Unit> units, LlvmTarget target) {
            LlvmNatives.load();
            this.target = target;
            this.context = LLVMContextCreate();
            String name = "modelc." + units.getFirst().program().entry();
            var ir = new Ir(context, name);
            this.module = ir.module;
            this.machine = target.machine();
            LLVMSetTarget(module, target.triple());
            var layout = LLVMCreateTargetDataLayout(machine);
            LLVMSetModuleDataLayout(module, layout);
            LLVMDisposeTargetData(layout);
            for (var u : units) new ModuleEmitter(ir, u.program(), u.symbol(), u.exported(), u.profiled()).emit();
            ModuleCode.verify(module, name);
        }

        void optimize() {
            LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
            try {
                LLVMPassBuilderOptionsSetLoopVectorization(options, Boolean.parseBoolean(System.getProperty("modelc.llvm.vectorize", "true")) ? 1 : 0);
                LLVMPassBuilderOptionsSetSLPVectorization(options, 1);
                LLVMPassBuilderOptionsSetLoopUnrolling(options, Boolean.parseBoolean(System.getProperty("modelc.llvm.unroll", "true")) ? 1 : 0);
                LlvmJit.check(LLVMRunPasses(module, "default<O3>", machine, options), "optimising");
            } finally {
                LLVMDisposePassBuilderOptions(options);
            }
        }

        byte[] object() { return emit(LLVMObjectFile); }

        byte[] emit(int fileType) { return ModuleCode.emit(machine, module, fileType, target.toString()); }

        String text() { return ModuleCode.text(module); }

        @Override
        public void close() {
            LLVMDisposeModule(module);
            LLVMDisposeTargetMachine(machine);
            LLVMContextDispose(context);
        }
    }
}
