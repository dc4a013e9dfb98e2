package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.LoopUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Writes a {@link LoopProgram} as an LLVM module: an internal function per kernel, and one
 * exported entry, {@code int32_t modelc_<entry>(void** buffers, const int64_t* dims, parallel_for_fn*)}
 * (see the runtime's {@code NativeProgram}), which reads the buffer pointers and dimension values
 * and calls the kernels in order. Kernels take {@code (status, parallel_for, storages..., dims...)}.
 */
final class ModuleEmitter implements FunctionEmitter.Host {
    private final Ir ir;
    private final LoopProgram program;
    private final String symbol;
    private final boolean exported;
    private final boolean profiled;

    /**
     * @param symbol the entry function's name
     * @param exported whether the entry is visible outside a shared library (the JIT's is; a
     *     library's is hidden behind its C API)
     */
    ModuleEmitter(Ir ir, LoopProgram program, String symbol, boolean exported) { this(ir, program, symbol, exported, false); }

    /**
     * @param profiled whether the entry calls the function in the global {@code <symbol>_profile_hook}
     *     with each kernel's index before it, and with the kernel count at the end (see the
     *     runtime's {@code NativeKernelTimer}); the caller sets the global before the first run
     */
    ModuleEmitter(Ir ir, LoopProgram program, String symbol, boolean exported, boolean profiled) {
        this.ir = ir;
        this.program = program;
        this.symbol = symbol;
        this.exported = exported;
        this.profiled = profiled;
    }

    /** The global holding a profiled entry's timing hook. */
    static String profileHook(String symbol) { return symbol + "_profile_hook"; }

    @Override
    public LoopProgram program() { return program; }

    /** The symbol of an entry's function in the JIT. */
    static String symbol(String entry) {
        var sb = new StringBuilder("modelc_");
        for (char c : entry.toCharArray()) sb.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        return sb.toString();
    }

    void emit() {
        for (var b : program.buffers()) {
            if (b.dtype() == dev.modelc.check.DType.F16 || b.dtype() == dev.modelc.check.DType.BF16) {
                // as the JVM backend and the evaluator: storage-only types have no arithmetic here yet
                throw new UnsupportedOperationException("the llvm backend does not support " + b.dtype() + " yet (buffer " + b.name() + ")");
            }
        }
        List<LLVMValueRef> kernels = new ArrayList<>();
        List<FunctionEmitter.Storages> kernelStorages = new ArrayList<>();
        for (var k : program.kernels()) {
            var storages = storagesOf(k);
            kernelStorages.add(storages);
            kernels.add(kernel(k, storages));
        }
        entry(kernels, kernelStorages);
    }

    /** The kernel's buffers, grouped by the storage they live in: an input's own, or its slot's. */
    private FunctionEmitter.Storages storagesOf(LoopProgram.Kernel k) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int id : LoopUsage.of(k.body()).buffers) {
            var buffer = program.buffer(id);
            String key = buffer.kind() == LoopProgram.Kind.INPUT ? "input " + id : "slot " + buffer.slot();
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(id);
        }
        return new FunctionEmitter.Storages(List.copyOf(groups.values()));
    }

    private LLVMValueRef kernel(LoopProgram.Kernel k, FunctionEmitter.Storages storages) {
        List<LLVMTypeRef> params = new ArrayList<>(List.of(ir.ptr, ir.ptr));
        int n = storages.groups().size();
        for (int i = 0; i < n; i++) params.add(ir.ptr);
        for (int i = 0; i < program.dims().size(); i++) params.add(ir.i64);
        LLVMValueRef f = internalFunction(program.entry() + "." + k.name(), ir.voidType, params);
        List<LLVMValueRef> storageValues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ir.attribute(f, 3 + i, "noalias");
            storageValues.add(LLVMGetParam(f, 2 + i));
        }
        var dims = new LinkedHashMap<String, LLVMValueRef>();
        for (int i = 0; i < program.dims().size(); i++) dims.put(program.dims().get(i), LLVMGetParam(f, 2 + n + i));
        new FunctionEmitter(ir, this, program.entry() + "." + k.name(), f, storages, storageValues, dims, LLVMGetParam(f, 0), LLVMGetParam(f, 1))
                .emitAndReturn(k.body());
        return f;
    }

    private void entry(List<LLVMValueRef> kernels, List<FunctionEmitter.Storages> kernelStorages) {
        LLVMValueRef f = LLVMAddFunction(ir.module, symbol, ir.functionType(ir.i32, ir.ptr, ir.ptr, ir.ptr));
        if (!exported) LLVMSetVisibility(f, LLVMHiddenVisibility);
        LLVMBuilderRef b = LLVMCreateBuilderInContext(ir.context);
        try {
            LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ir.context, f, "entry"));
            LLVMValueRef buffers = LLVMGetParam(f, 0), dimsIn = LLVMGetParam(f, 1), parallelFor = LLVMGetParam(f, 2);
            LLVMValueRef status = LLVMBuildAlloca(b, ir.i32, "status");
            LLVMBuildStore(b, LLVMConstInt(ir.i32, 0, 0), status);
            List<LLVMValueRef> dims = new ArrayList<>();
            for (int i = 0; i < program.dims().size(); i++) {
                LLVMValueRef at = LLVMBuildInBoundsGEP2(b, ir.i64, dimsIn, Ir.pointers(LLVMConstInt(ir.i64, i, 0)), 1, "");
                dims.add(LLVMBuildLoad2(b, ir.i64, at, program.dims().get(i)));
            }
            LLVMValueRef hook = null;
            if (profiled) {
                hook = LLVMAddGlobal(ir.module, ir.ptr, profileHook(symbol));
                LLVMSetInitializer(hook, LLVMConstNull(ir.ptr));
            }
            for (int k = 0; k <= kernels.size(); k++) {
                if (profiled) tick(b, hook, k);
                if (k == kernels.size()) break;
                List<LLVMValueRef> args = new ArrayList<>(List.of(status, parallelFor));
                for (var group : kernelStorages.get(k).groups()) {
                    LLVMValueRef at = LLVMBuildInBoundsGEP2(b, ir.ptr, buffers, Ir.pointers(LLVMConstInt(ir.i64, group.getFirst(), 0)), 1, "");
                    args.add(LLVMBuildLoad2(b, ir.ptr, at, program.buffer(group.getFirst()).name()));
                }
                args.addAll(dims);
                LLVMTypeRef type = LLVMGlobalGetValueType(kernels.get(k));
                LLVMBuildCall2(b, type, kernels.get(k), Ir.pointers(args.toArray(new LLVMValueRef[0])), args.size(), "");
            }
            LLVMBuildRet(b, LLVMBuildLoad2(b, ir.i32, status, ""));
        } finally {
            LLVMDisposeBuilder(b);
        }
    }

    private void tick(LLVMBuilderRef b, LLVMValueRef hook, int kernel) {
        LLVMValueRef f = LLVMBuildLoad2(b, ir.ptr, hook, "");
        LLVMBuildCall2(b, ir.functionType(ir.voidType, ir.i32), f, Ir.pointers(LLVMConstInt(ir.i32, kernel, 0)), 1, "");
    }

    /** A function private to the module (LLVM may inline it, or drop it once unused). */
    @Override
    public LLVMValueRef internalFunction(String name, LLVMTypeRef result, List<LLVMTypeRef> params) { return internalFunction(ir, name, result, params); }

    static LLVMValueRef internalFunction(Ir ir, String name, LLVMTypeRef result, List<LLVMTypeRef> params) {
        LLVMValueRef f = LLVMAddFunction(ir.module, name, ir.functionType(result, params.toArray(new LLVMTypeRef[0])));
        LLVMSetLinkage(f, LLVMInternalLinkage);
        ir.attribute(f, -1, "nounwind");
        return f;
    }
}
