package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.check.DType;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.LoopUsage;
import dev.modelc.runtime.cuda.GpuPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Writes a {@link LoopProgram} as GPU kernels in an NVPTX module: each kernel's launches
 * ({@link GridSegments}) become {@code ptx_kernel} functions {@code (status, storages..., dims...)}
 * as {@link GpuPlan} describes, and the launches, in order, the entry's plan. Grid launches run
 * iterations {@code t, t + T, …} of their parallel loop on global thread {@code t} of {@code T};
 * nested parallel loops run serially within a thread.
 */
final class PtxModuleEmitter implements FunctionEmitter.Host {
    /** LLVM's calling convention number for PTX kernel entry points ({@code ptx_kernel}). */
    private static final int PTX_KERNEL = 71;

    private final Ir ir;
    private final LoopProgram program;
    private final boolean simulated;
    private final List<GpuPlan.Launch> launches = new ArrayList<>();

    /**
     * @param simulated whether to write the kernels for a CPU ({@link SimulatedGpu}): ordinary
     *     functions that take the thread's index and the thread count as two more {@code i64}
     *     arguments, instead of reading them from PTX's special registers
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

    void emit() {
        for (var b : program.buffers()) {
            if (b.dtype() == DType.F16 || b.dtype() == DType.BF16) {
                throw new UnsupportedOperationException("the cuda backend does not support " + b.dtype() + " yet (buffer " + b.name() + ")");
            }
        }
        for (var k : program.kernels()) {
            var segments = GridSegments.split(k.body());
            for (int s = 0; s < segments.size(); s++) {
                var segment = segments.get(s);
                String name = ModuleEmitter.symbol(program.entry()) + "_" + k.name() + "_" + s;
                var storages = storagesOf(segment);
                kernel(name, segment, storages);
                launches.add(new GpuPlan.Launch(name, segment.grid() ? GpuPlan.Mode.GRID : GpuPlan.Mode.SINGLE, storages.groups()));
            }
        }
    }

    /** The launch's buffers, grouped by the storage they live in: an input's own, or its slot's. */
    private FunctionEmitter.Storages storagesOf(GridSegments.Segment segment) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int id : LoopUsage.of(segment.whole()).buffers) {
            var buffer = program.buffer(id);
            String key = buffer.kind() == LoopProgram.Kind.INPUT ? "input " + id : "slot " + buffer.slot();
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(id);
        }
        return new FunctionEmitter.Storages(List.copyOf(groups.values()));
    }

    private void kernel(String name, GridSegments.Segment segment, FunctionEmitter.Storages storages) {
        List<LLVMTypeRef> params = new ArrayList<>(List.of(ir.ptr));
        int n = storages.groups().size();
        for (int i = 0; i < n; i++) params.add(ir.ptr);
        for (int i = 0; i < program.dims().size(); i++) params.add(ir.i64);
        if (simulated) params.addAll(List.of(ir.i64, ir.i64));
        LLVMValueRef f = LLVMAddFunction(ir.module, name, ir.functionType(ir.voidType, params.toArray(new LLVMTypeRef[0])));
        if (!simulated) LLVMSetFunctionCallConv(f, PTX_KERNEL);
        ir.attribute(f, -1, "nounwind");
        List<LLVMValueRef> storageValues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ir.attribute(f, 2 + i, "noalias");
            storageValues.add(LLVMGetParam(f, 1 + i));
        }
        var dims = new LinkedHashMap<String, LLVMValueRef>();
        for (int i = 0; i < program.dims().size(); i++) dims.put(program.dims().get(i), LLVMGetParam(f, 1 + n + i));
        var emitter = new FunctionEmitter(ir, this, name, f, storages, storageValues, dims, LLVMGetParam(f, 0), null);
        if (!segment.grid()) {
            emitter.emitAndReturn(segment.whole());
            return;
        }
        if (simulated) {
            int at = 1 + n + program.dims().size();
            emitter.emitGridNestAndReturn(segment.prelude(), segment.nest(), LLVMGetParam(f, at), LLVMGetParam(f, at + 1));
            return;
        }
        // the thread's global index and the grid's thread count, read in the entry block
        LLVMBuilderRef b = LLVMCreateBuilderInContext(ir.context);
        try {
            LLVMPositionBuilderAtEnd(b, LLVMGetEntryBasicBlock(f));
            LLVMValueRef tid = special(b, "tid.x"), ntid = special(b, "ntid.x"), ctaid = special(b, "ctaid.x"), nctaid = special(b, "nctaid.x");
            LLVMValueRef first = LLVMBuildNUWAdd(b, LLVMBuildNUWMul(b, ctaid, ntid, ""), tid, "thread");
            LLVMValueRef stride = LLVMBuildNUWMul(b, nctaid, ntid, "threads");
            emitter.emitGridNestAndReturn(segment.prelude(), segment.nest(), first, stride);
        } finally {
            LLVMDisposeBuilder(b);
        }
    }

    /** A PTX special register ({@code %tid.x}, …) as an i64. */
    private LLVMValueRef special(LLVMBuilderRef b, String register) {
        String intrinsic = "llvm.nvvm.read.ptx.sreg." + register;
        LLVMValueRef f = ir.declare(intrinsic, ir.i32);
        LLVMValueRef v = LLVMBuildCall2(b, ir.declaredType(intrinsic), f, Ir.pointers(), 0, "");
        return LLVMBuildZExt(b, v, ir.i64, register);
    }

    @Override
    public LLVMValueRef internalFunction(String name, LLVMTypeRef result, List<LLVMTypeRef> params) {
        LLVMValueRef f = LLVMAddFunction(ir.module, name, ir.functionType(result, params.toArray(new LLVMTypeRef[0])));
        LLVMSetLinkage(f, LLVMInternalLinkage);
        ir.attribute(f, -1, "nounwind");
        return f;
    }
}
