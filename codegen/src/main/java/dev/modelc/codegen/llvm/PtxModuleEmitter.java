package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.check.DType;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.LoopUsage;
import dev.modelc.loops.Stmt;
import dev.modelc.runtime.cuda.GpuPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Writes a {@link LoopProgram} as GPU kernels in an NVPTX module: each kernel's launches become
 * {@code ptx_kernel} functions {@code (status, storages..., dims...)} as {@link GpuPlan}
 * describes, and the launches, in order, the entry's plan. A kernel written for blocks of threads
 * (with a {@link LoopProgram.BlockLaunch}) is one launch that every thread runs whole; any other
 * is split into launches by {@link GridSegments}, whose grid launches run iterations
 * {@code t, t + T, …} of their parallel loops on global thread {@code t} of {@code T}.
 *
 * <p>In simulated mode ({@link SimulatedGpu}) the same kernels are written for this CPU: ordinary
 * functions taking {@code (…, thread, block, threads per block, blocks, barrier, shuffle, mma,
 * shared buffers...)} after the dimensions, where PTX reads special registers, calls
 * {@code bar.sync}, {@code shfl.sync} and {@code mma.sync}, and addresses shared memory.
 */
final class PtxModuleEmitter implements FunctionEmitter.Host {
    /** LLVM's calling convention number for PTX kernel entry points ({@code ptx_kernel}). */
    private static final int PTX_KERNEL = 71;

    /** PTX's shared state space. */
    private static final int SHARED_SPACE = 3;

    private final Ir ir;
    private final LoopProgram program;
    private final boolean simulated;
    private final List<GpuPlan.Launch> launches = new ArrayList<>();
    private final Map<String, List<Long>> sharedBytes = new LinkedHashMap<>();

    /**
     * @param simulated whether to write the kernels for a CPU ({@link SimulatedGpu}) instead of
     *     for PTX (see the class comment)
     */
    PtxModuleEmitter(Ir ir, LoopProgram program, boolean simulated) {
        this.ir = ir;
        this.program = program;
        this.simulated = simulated;
    }

    @Override
    public LoopProgram program() { return program; }

    /** The launches written so far, in order. */
    List<GpuPlan.Launch> launches() { return List.copyOf(launches); }

    /** The bytes of each shared buffer of each block launch's function, in its launch's order. */
    Map<String, List<Long>> sharedBytes() { return Map.copyOf(sharedBytes); }

    void emit() {
        for (var b : program.buffers()) {
            if (b.dtype() == DType.F16 || b.dtype() == DType.BF16) {
                throw new UnsupportedOperationException("the cuda backend does not support " + b.dtype() + " yet (buffer " + b.name() + ")");
            }
        }
        for (var k : program.kernels()) {
            String prefix = ModuleEmitter.symbol(program.entry()) + "_" + k.name();
            if (k.launch() != null) {
                var storages = storagesOf(k.body());
                kernel(prefix, storages, k.launch(), (e, first, stride) -> e.emitAndReturn(k.body()));
                var blocks = k.launch().blocks().stream().map(PtxModuleEmitter::formula).toList();
                launches.add(new GpuPlan.Launch(prefix, GpuPlan.Mode.BLOCKS, storages.groups(), blocks, k.launch().threads()));
                sharedBytes.put(prefix, k.launch().shared().stream().map(id -> {
                    var buffer = program.buffer(id);
                    return buffer.elements().constantValue().orElseThrow() * buffer.dtype().bytes;
                }).toList());
                continue;
            }
            var segments = GridSegments.split(k.body());
            for (int s = 0; s < segments.size(); s++) {
                var segment = segments.get(s);
                String name = prefix + "_" + s;
                var storages = storagesOf(segment.whole());
                kernel(name, storages, null, (e, first, stride) -> {
                    if (segment.grid()) e.emitGridNestAndReturn(segment.prelude(), segment.nest(), first, stride);
                    else e.emitAndReturn(segment.whole());
                });
                launches.add(new GpuPlan.Launch(name, segment.grid() ? GpuPlan.Mode.GRID : GpuPlan.Mode.SINGLE, storages.groups()));
            }
        }
    }

    /** The storages a launch takes: its buffers grouped by where they live (an input's own, or its slot's); shared buffers are not among them. */
    private FunctionEmitter.Storages storagesOf(Stmt body) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int id : LoopUsage.of(body).buffers) {
            var buffer = program.buffer(id);
            if (buffer.kind() == LoopProgram.Kind.SHARED) continue;
            String key = buffer.kind() == LoopProgram.Kind.INPUT ? "input " + id : "slot " + buffer.slot();
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(id);
        }
        return new FunctionEmitter.Storages(List.copyOf(groups.values()));
    }

    private interface Body {
        /** Writes the function's body; {@code first} and {@code stride} number the grid's threads. */
        void emit(FunctionEmitter e, LLVMValueRef first, LLVMValueRef stride);
    }

    private void kernel(String name, FunctionEmitter.Storages storages, LoopProgram.BlockLaunch launch, Body body) {
        List<Integer> shared = launch == null ? List.of() : launch.shared();
        List<LLVMTypeRef> params = new ArrayList<>(List.of(ir.ptr));
        int n = storages.groups().size(), d = program.dims().size();
        for (int i = 0; i < n; i++) params.add(ir.ptr);
        for (int i = 0; i < d; i++) params.add(ir.i64);
        if (simulated) {
            params.addAll(List.of(ir.i64, ir.i64, ir.i64, ir.i64, ir.ptr, ir.ptr, ir.ptr));
            for (int i = 0; i < shared.size(); i++) params.add(ir.ptr);
        }
        LLVMValueRef f = LLVMAddFunction(ir.module, name, ir.functionType(ir.voidType, params.toArray(new LLVMTypeRef[0])));
        if (!simulated) LLVMSetFunctionCallConv(f, PTX_KERNEL);
        ir.attribute(f, -1, "nounwind");
        List<LLVMValueRef> storageValues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ir.attribute(f, 2 + i, "noalias");
            storageValues.add(LLVMGetParam(f, 1 + i));
        }
        var dims = new LinkedHashMap<String, LLVMValueRef>();
        for (int i = 0; i < d; i++) dims.put(program.dims().get(i), LLVMGetParam(f, 1 + n + i));
        var emitter = new FunctionEmitter(ir, this, name, f, storages, storageValues, dims, LLVMGetParam(f, 0), null);
        Grid gpu = simulated ? new Simulated(f, 1 + n + d, shared) : new Ptx(name, shared);
        emitter.gpu(gpu, launch);
        // the thread's number in the grid and the grid's thread count, computed in the entry block
        LLVMBuilderRef b = LLVMCreateBuilderInContext(ir.context);
        try {
            LLVMPositionBuilderAtEnd(b, LLVMGetEntryBasicBlock(f));
            LLVMValueRef tid = gpu.thread(b), ctaid = gpu.block(b), ntid = gpu.threadsPerBlock(b), nctaid = gpu.blocks(b);
            LLVMValueRef first = LLVMBuildNUWAdd(b, LLVMBuildNUWMul(b, ctaid, ntid, ""), tid, "thread");
            LLVMValueRef stride = LLVMBuildNUWMul(b, nctaid, ntid, "threads");
            body.emit(emitter, first, stride);
        } finally {
            LLVMDisposeBuilder(b);
        }
    }

    /** GPU-only Loop IR, and the launch's shape: threads per block and blocks. */
    private interface Grid extends FunctionEmitter.Gpu {
        LLVMValueRef threadsPerBlock(LLVMBuilderRef b);

        LLVMValueRef blocks(LLVMBuilderRef b);
    }

    /** An index expression of the dimensions as the runtime's {@code DimFormula} text. */
    static String formula(Expr e) {
        return switch (e) {
            case Expr.Index i -> i.value() < 0 ? "(" + i.value() + ")" : Long.toString(i.value());
            case Expr.Dim dim -> dim.name();
            case Expr.Binary x when x.type() instanceof LType.Index -> {
                String op = switch (x.fn()) {
                    case ADD -> "+";
                    case SUB -> "-";
                    case MUL -> "*";
                    case DIV -> "/";
                    default -> throw new IllegalArgumentException("a launch's block count cannot use " + x.fn());
                };
                yield "(" + formula(x.a()) + " " + op + " " + formula(x.b()) + ")";
            }
            default -> throw new IllegalArgumentException("a launch's block count must be an expression of the dimensions, not " + e);
        };
    }

    @Override
    public LLVMValueRef internalFunction(String name, LLVMTypeRef result, List<LLVMTypeRef> params) {
        return ModuleEmitter.internalFunction(ir, name, result, params);
    }

    /** GPU-only Loop IR as PTX: special registers, {@code bar.sync 0}, {@code shfl.sync.down}, {@code .shared} arrays. */
    private final class Ptx implements Grid {
        private final String kernel;
        private final Map<Integer, LLVMValueRef> sharedArrays = new HashMap<>();

        Ptx(String kernel, List<Integer> shared) {
            this.kernel = kernel;
            for (int id : shared) {
                var buffer = program.buffer(id);
                long elements = buffer.elements().constantValue().orElseThrow(
                        () -> new IllegalArgumentException("shared buffer " + buffer.name() + " needs a constant size"));
                LLVMTypeRef type = LLVMArrayType2(ir.memory(buffer.dtype()), elements);
                LLVMValueRef g = LLVMAddGlobalInAddressSpace(ir.module, type, kernel + "." + buffer.name(), SHARED_SPACE);
                LLVMSetLinkage(g, LLVMInternalLinkage);
                LLVMSetInitializer(g, LLVMGetUndef(type));
                LLVMSetAlignment(g, 16);
                sharedArrays.put(id, g);
            }
        }

        @Override
        public LLVMValueRef thread(LLVMBuilderRef b) { return register(b, "tid.x"); }

        @Override
        public LLVMValueRef block(LLVMBuilderRef b) { return register(b, "ctaid.x"); }

        @Override
        public LLVMValueRef threadsPerBlock(LLVMBuilderRef b) { return register(b, "ntid.x"); }

        @Override
        public LLVMValueRef blocks(LLVMBuilderRef b) { return register(b, "nctaid.x"); }

        @Override
        public void barrier(LLVMBuilderRef b) {
            LLVMValueRef f = ir.declare("llvm.nvvm.barrier0", ir.voidType);
            LLVMBuildCall2(b, ir.declaredType("llvm.nvvm.barrier0"), f, Ir.pointers(), 0, "");
        }

        @Override
        public LLVMValueRef shuffleDown(LLVMBuilderRef b, LLVMValueRef value, LType type, int delta) {
            LLVMTypeRef t = LLVMTypeOf(value);
            if (LLVMGetTypeKind(t) == LLVMFloatTypeKind) return shuffle32(b, value, "f32", delta);
            if (t.equals(ir.i32)) return shuffle32(b, value, "i32", delta);
            if (t.equals(ir.i1)) return LLVMBuildTrunc(b, shuffle32(b, LLVMBuildZExt(b, value, ir.i32, ""), "i32", delta), ir.i1, "");
            // 64 bits: two 32-bit halves
            LLVMValueRef bits = t.equals(ir.i64) ? value : LLVMBuildBitCast(b, value, ir.i64, "");
            LLVMValueRef lo = shuffle32(b, LLVMBuildTrunc(b, bits, ir.i32, ""), "i32", delta);
            LLVMValueRef hi = shuffle32(b, LLVMBuildTrunc(b, LLVMBuildLShr(b, bits, LLVMConstInt(ir.i64, 32, 0), ""), ir.i32, ""), "i32", delta);
            LLVMValueRef joined = LLVMBuildOr(b, LLVMBuildZExt(b, lo, ir.i64, ""),
                    LLVMBuildShl(b, LLVMBuildZExt(b, hi, ir.i64, ""), LLVMConstInt(ir.i64, 32, 0), ""), "");
            return t.equals(ir.i64) ? joined : LLVMBuildBitCast(b, joined, t, "");
        }

        private LLVMValueRef shuffle32(LLVMBuilderRef b, LLVMValueRef value, String suffix, int delta) {
            String name = "llvm.nvvm.shfl.sync.down." + suffix;
            LLVMTypeRef t = LLVMTypeOf(value);
            LLVMValueRef f = ir.declare(name, t, ir.i32, t, ir.i32, ir.i32);
            // full warp mask; c = 0x1f: the whole warp is one segment
            return LLVMBuildCall2(b, ir.declaredType(name), f, Ir.pointers(LLVMConstInt(ir.i32, 0xffffffffL, 0), value,
                    LLVMConstInt(ir.i32, delta, 0), LLVMConstInt(ir.i32, 0x1f, 0)), 4, "");
        }

        @Override
        public LLVMValueRef[] mmaTf32(LLVMBuilderRef b, LLVMValueRef[] a, LLVMValueRef[] bFragment, LLVMValueRef[] c) {
            String round = "llvm.nvvm.f2tf32.rna";
            LLVMValueRef cvt = ir.declare(round, ir.i32, ir.f32);
            LLVMValueRef[] args = new LLVMValueRef[10];
            for (int i = 0; i < 4; i++) args[i] = LLVMBuildCall2(b, ir.declaredType(round), cvt, Ir.pointers(a[i]), 1, "");
            for (int i = 0; i < 2; i++) args[4 + i] = LLVMBuildCall2(b, ir.declaredType(round), cvt, Ir.pointers(bFragment[i]), 1, "");
            System.arraycopy(c, 0, args, 6, 4);
            String name = "llvm.nvvm.mma.m16n8k8.row.col.tf32";
            LLVMTypeRef result = LLVMStructTypeInContext(ir.context, Ir.pointers(ir.f32, ir.f32, ir.f32, ir.f32), 4, 0);
            LLVMValueRef f = ir.declare(name, result, ir.i32, ir.i32, ir.i32, ir.i32, ir.i32, ir.i32, ir.f32, ir.f32, ir.f32, ir.f32);
            LLVMValueRef d = LLVMBuildCall2(b, ir.declaredType(name), f, Ir.pointers(args), args.length, "");
            LLVMValueRef[] out = new LLVMValueRef[4];
            for (int i = 0; i < 4; i++) out[i] = LLVMBuildExtractValue(b, d, i, "");
            return out;
        }

        @Override
        public LLVMValueRef shared(LLVMBuilderRef b, int buffer) {
            LLVMValueRef g = sharedArrays.get(buffer);
            if (g == null) throw new IllegalStateException(kernel + " uses buffer " + buffer + " as shared but its launch does not name it");
            return LLVMBuildAddrSpaceCast(b, g, ir.ptr, "");
        }

        private LLVMValueRef register(LLVMBuilderRef b, String register) {
            String intrinsic = "llvm.nvvm.read.ptx.sreg." + register;
            LLVMValueRef f = ir.declare(intrinsic, ir.i32);
            LLVMValueRef v = LLVMBuildCall2(b, ir.declaredType(intrinsic), f, Ir.pointers(), 0, "");
            return LLVMBuildZExt(b, v, ir.i64, register);
        }
    }

    /** GPU-only Loop IR for {@link SimulatedGpu}: the function's own parameters, and calls back into the simulator. */
    private final class Simulated implements Grid {
        private final LLVMValueRef function;
        private final int first;
        private final List<Integer> shared;

        private LLVMValueRef mmaIn, mmaOut;

        /** @param first the index of the thread parameter (then block, threads per block, blocks, barrier, shuffle, mma, shared...) */
        Simulated(LLVMValueRef function, int first, List<Integer> shared) {
            this.function = function;
            this.first = first;
            this.shared = shared;
        }

        @Override
        public LLVMValueRef thread(LLVMBuilderRef b) { return LLVMGetParam(function, first); }

        @Override
        public LLVMValueRef block(LLVMBuilderRef b) { return LLVMGetParam(function, first + 1); }

        @Override
        public LLVMValueRef threadsPerBlock(LLVMBuilderRef b) { return LLVMGetParam(function, first + 2); }

        @Override
        public LLVMValueRef blocks(LLVMBuilderRef b) { return LLVMGetParam(function, first + 3); }

        @Override
        public void barrier(LLVMBuilderRef b) {
            LLVMBuildCall2(b, ir.functionType(ir.voidType), LLVMGetParam(function, first + 4), Ir.pointers(), 0, "");
        }

        @Override
        public LLVMValueRef shuffleDown(LLVMBuilderRef b, LLVMValueRef value, LType type, int delta) {
            LLVMTypeRef t = LLVMTypeOf(value);
            int width = LLVMGetTypeKind(t) == LLVMFloatTypeKind ? 32 : LLVMGetTypeKind(t) == LLVMDoubleTypeKind ? 64 : LLVMGetIntTypeWidth(t);
            LLVMTypeRef bitsType = LLVMIntTypeInContext(ir.context, width);
            LLVMValueRef bits = LLVMGetTypeKind(t) == LLVMIntegerTypeKind ? value : LLVMBuildBitCast(b, value, bitsType, "");
            LLVMValueRef wide = width == 64 ? bits : LLVMBuildZExt(b, bits, ir.i64, "");
            LLVMValueRef out = LLVMBuildCall2(b, ir.functionType(ir.i64, ir.i64, ir.i64), LLVMGetParam(function, first + 5),
                    Ir.pointers(wide, LLVMConstInt(ir.i64, delta, 0)), 2, "");
            LLVMValueRef narrow = width == 64 ? out : LLVMBuildTrunc(b, out, bitsType, "");
            return LLVMGetTypeKind(t) == LLVMIntegerTypeKind ? narrow : LLVMBuildBitCast(b, narrow, t, "");
        }

        @Override
        public LLVMValueRef shared(LLVMBuilderRef b, int buffer) {
            int at = shared.indexOf(buffer);
            if (at < 0) throw new IllegalStateException("buffer " + buffer + " is used as shared but its launch does not name it");
            return LLVMGetParam(function, first + 7 + at);
        }

        /** Calls the simulator's {@code mma(float in[10], float out[4])} with this lane's fragments (the simulator rounds to TF32). */
        @Override
        public LLVMValueRef[] mmaTf32(LLVMBuilderRef b, LLVMValueRef[] a, LLVMValueRef[] bFragment, LLVMValueRef[] c) {
            if (mmaIn == null) {
                // in the entry block, once: not a stack slot per call inside a loop
                LLVMBuilderRef e = LLVMCreateBuilderInContext(ir.context);
                var entry = LLVMGetEntryBasicBlock(function);
                var firstInstruction = LLVMGetFirstInstruction(entry);
                if (firstInstruction == null || firstInstruction.isNull()) LLVMPositionBuilderAtEnd(e, entry);
                else LLVMPositionBuilderBefore(e, firstInstruction);
                mmaIn = LLVMBuildArrayAlloca(e, ir.f32, LLVMConstInt(ir.i32, 10, 0), "mma.in");
                mmaOut = LLVMBuildArrayAlloca(e, ir.f32, LLVMConstInt(ir.i32, 4, 0), "mma.out");
                LLVMDisposeBuilder(e);
            }
            LLVMValueRef[] values = new LLVMValueRef[10];
            System.arraycopy(a, 0, values, 0, 4);
            System.arraycopy(bFragment, 0, values, 4, 2);
            System.arraycopy(c, 0, values, 6, 4);
            for (int i = 0; i < 10; i++) LLVMBuildStore(b, values[i], at(b, mmaIn, i));
            LLVMBuildCall2(b, ir.functionType(ir.voidType, ir.ptr, ir.ptr), LLVMGetParam(function, first + 6), Ir.pointers(mmaIn, mmaOut), 2, "");
            LLVMValueRef[] out = new LLVMValueRef[4];
            for (int i = 0; i < 4; i++) out[i] = LLVMBuildLoad2(b, ir.f32, at(b, mmaOut, i), "");
            return out;
        }

        private LLVMValueRef at(LLVMBuilderRef b, LLVMValueRef array, int i) {
            return LLVMBuildInBoundsGEP2(b, ir.f32, array, Ir.pointers(LLVMConstInt(ir.i64, i, 0)), 1, "");
        }
    }
}
