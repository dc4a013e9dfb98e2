package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.modelc.check.DType;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopUsage;
import dev.modelc.loops.Stmt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Writes the body of one LLVM function from Loop IR statements: a kernel, or the outlined body of
 * one of its parallel loops. Locals live in stack slots made in the entry block, which LLVM's
 * mem2reg turns into registers. Buffers arrive as one {@code noalias} pointer per storage (an
 * input, or a slot of temporaries), so LLVM knows that a kernel's stores do not change what it
 * loads from other buffers.
 *
 * <p>A parallel loop (outside another one's outlined body) becomes two functions: its body over
 * a chunk {@code [lo, hi)}, taking the storages, dimensions and the outer locals it reads as
 * arguments (inlined, so {@code noalias} still holds), and a {@code chunk(lo, hi, env)} wrapper
 * that unpacks them from a struct the kernel fills on its stack. The kernel then calls the
 * {@code parallel_for} function it was given, or the chunk over the whole range when that is null.
 */
final class FunctionEmitter {
    /** The storages a function takes: each a list of the buffer ids that share it. */
    record Storages(List<List<Integer>> groups) {
        int of(int buffer) {
            for (int i = 0; i < groups.size(); i++) if (groups.get(i).contains(buffer)) return i;
            throw new IllegalStateException("buffer " + buffer + " has no storage here");
        }
    }

    private record Local(LLVMValueRef slot, LType type) {}

    /**
     * What GPU-only Loop IR becomes where a GPU kernel is written: the thread's index in its
     * block and the block's flat index (decomposed here into the launch's x, y and z), a warp
     * shuffle, the block barrier, and each shared buffer's address in the block's shared memory.
     */
    interface Gpu {
        LLVMValueRef thread(LLVMBuilderRef b);

        LLVMValueRef block(LLVMBuilderRef b);

        /** {@code value}'s bits as lane {@code delta} further down has them; any register type. */
        LLVMValueRef shuffleDown(LLVMBuilderRef b, LLVMValueRef value, LType type, int delta);

        void barrier(LLVMBuilderRef b);

        /** The warp's {@code mma.m16n8k8} with TF32 inputs: this lane's four D values from its fragments (f32 values). */
        LLVMValueRef[] mmaTf32(LLVMBuilderRef b, LLVMValueRef[] a, LLVMValueRef[] bFragment, LLVMValueRef[] c);

        LLVMValueRef shared(LLVMBuilderRef b, int buffer);
    }

    /** What a function is written into: the program its buffers belong to, and where outlined bodies go. */
    interface Host {
        dev.modelc.loops.LoopProgram program();

        LLVMValueRef internalFunction(String name, LLVMTypeRef result, List<LLVMTypeRef> params);
    }

    private final Ir ir;
    private final Host module;
    private final String name;
    private final LLVMValueRef function;
    private final LLVMBuilderRef b;
    private final LLVMBuilderRef allocas;
    private final LLVMBasicBlockRef entry;
    private final Storages storages;
    private final List<LLVMValueRef> storageValues;
    private final Map<String, LLVMValueRef> dims;
    private final LLVMValueRef status;
    private final LLVMValueRef parallelFor;
    private final ElementOps ops;
    private final Deque<Map<String, Local>> scopes = new ArrayDeque<>();
    private int outlined;
    private Gpu gpu;
    private dev.modelc.loops.LoopProgram.BlockLaunch launch;

    /** Lets the function use GPU-only Loop IR, for a kernel launched as {@code launch} (null: a grid-stride or one-thread launch). */
    void gpu(Gpu gpu, dev.modelc.loops.LoopProgram.BlockLaunch launch) {
        this.gpu = gpu;
        this.launch = launch;
    }

    /**
     * @param parallelFor the function pointer that runs parallel loops, or null inside an
     *     outlined body (nested parallel loops run serially)
     */
    FunctionEmitter(Ir ir, Host module, String name, LLVMValueRef function, Storages storages,
                    List<LLVMValueRef> storageValues, Map<String, LLVMValueRef> dims, LLVMValueRef status, LLVMValueRef parallelFor) {
        this.ir = ir;
        this.module = module;
        this.name = name;
        this.function = function;
        this.storages = storages;
        this.storageValues = storageValues;
        this.dims = dims;
        this.status = status;
        this.parallelFor = parallelFor;
        this.b = LLVMCreateBuilderInContext(ir.context);
        this.allocas = LLVMCreateBuilderInContext(ir.context);
        this.entry = LLVMAppendBasicBlockInContext(ir.context, function, "entry");
        LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(ir.context, function, "start");
        LLVMPositionBuilderAtEnd(allocas, entry);
        LLVMPositionBuilderAtEnd(b, start);
        this.ops = new ElementOps(ir, b, function, status);
        scopes.push(new HashMap<>());
    }

    /** Makes {@code value} readable as the local {@code var} of type {@code type}. */
    void bind(String var, LType type, LLVMValueRef value) {
        LLVMValueRef slot = slot(type, var);
        LLVMBuildStore(b, value, slot);
        scopes.peek().put(var, new Local(slot, type));
    }

    /** Emits {@code s}, then returns from the function (void) and closes the entry block. */
    void emitAndReturn(Stmt s) {
        stmt(s);
        finish();
    }

    /** Emits {@code for var in [lo, hi) step step { body }} with bounds already computed, then returns. */
    void emitLoopAndReturn(String var, LLVMValueRef lo, LLVMValueRef hi, long step, Stmt body) {
        loop(var, lo, hi, step, body);
        finish();
    }

    /**
     * Emits {@code prelude}, then {@code loop} with its iterations spread over GPU threads: this
     * thread runs iterations {@code first, first + stride, …} (counted in iterations, not in the
     * loop's step), then returns.
     */
    void emitGridLoopAndReturn(List<Stmt> prelude, Stmt.Loop loop, LLVMValueRef first, LLVMValueRef stride) {
        scopes.push(new HashMap<>());
        for (Stmt s : prelude) stmt(s);
        LLVMValueRef lo = expr(loop.lo()), hi = expr(loop.hi());
        LLVMValueRef step = LLVMConstInt(ir.i64, loop.step(), 1);
        LLVMValueRef start = LLVMBuildNSWAdd(b, lo, LLVMBuildNSWMul(b, first, step, ""), "");
        loop(loop.var(), start, hi, LLVMBuildNSWMul(b, stride, step, ""), loop.body());
        scopes.pop();
        finish();
    }

    /**
     * As {@link #emitGridLoopAndReturn} for perfectly nested parallel loops (no loop's bounds read
     * an outer one's counter) taken as one: their iterations are numbered in order, innermost
     * fastest, and the thread runs numbers {@code first, first + stride, …}, each split back into
     * the loops' counters.
     */
    void emitGridNestAndReturn(List<Stmt> prelude, List<Stmt.Loop> nest, LLVMValueRef first, LLVMValueRef stride) {
        if (nest.size() == 1) {
            emitGridLoopAndReturn(prelude, nest.getFirst(), first, stride);
            return;
        }
        scopes.push(new HashMap<>());
        for (Stmt s : prelude) stmt(s);
        int n = nest.size();
        LLVMValueRef[] lo = new LLVMValueRef[n], trips = new LLVMValueRef[n];
        LLVMValueRef total = LLVMConstInt(ir.i64, 1, 1);
        for (int i = 0; i < n; i++) {
            var l = nest.get(i);
            lo[i] = expr(l.lo());
            LLVMValueRef hi = expr(l.hi()), step = LLVMConstInt(ir.i64, l.step(), 1);
            LLVMValueRef span = LLVMBuildSub(b, hi, lo[i], "");
            LLVMValueRef count = LLVMBuildSDiv(b, LLVMBuildAdd(b, span, LLVMConstInt(ir.i64, l.step() - 1, 1), ""), step, "");
            trips[i] = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntSGT, span, LLVMConstInt(ir.i64, 0, 1), ""), count, LLVMConstInt(ir.i64, 0, 1), "trips");
            total = LLVMBuildMul(b, total, trips[i], "");
        }
        Stmt innermost = nest.getLast().body();
        loop("flat." + nest.getFirst().var(), first, total, stride, () -> {
            LLVMValueRef rest = load(local("flat." + nest.getFirst().var()));
            var counters = new HashMap<String, Local>();
            for (int i = n - 1; i >= 0; i--) {
                LLVMValueRef at = i == 0 ? rest : LLVMBuildURem(b, rest, trips[i], "");
                if (i > 0) rest = LLVMBuildUDiv(b, rest, trips[i], "");
                LLVMValueRef value = LLVMBuildNSWAdd(b, lo[i], LLVMBuildNSWMul(b, at, LLVMConstInt(ir.i64, nest.get(i).step(), 1), ""), "");
                LLVMValueRef slot = slot(LType.INDEX, nest.get(i).var());
                LLVMBuildStore(b, value, slot);
                counters.put(nest.get(i).var(), new Local(slot, LType.INDEX));
            }
            scopes.push(counters);
            stmt(innermost);
            scopes.pop();
        });
        scopes.pop();
        finish();
    }

    private void finish() {
        LLVMBuildRetVoid(b);
        LLVMBuildBr(allocas, LLVMGetNextBasicBlock(entry));
        LLVMDisposeBuilder(b);
        LLVMDisposeBuilder(allocas);
    }

    // ---- statements ----

    private void stmt(Stmt s) {
        switch (s) {
            case Stmt.Barrier x -> gpu("barrier").barrier(b);
            case Stmt.MmaTf32 m -> {
                LLVMValueRef[] d = gpu("mma_tf32").mmaTf32(b, m.a().stream().map(this::expr).toArray(LLVMValueRef[]::new),
                        m.b().stream().map(this::expr).toArray(LLVMValueRef[]::new), m.c().stream().map(this::expr).toArray(LLVMValueRef[]::new));
                for (int i = 0; i < 4; i++) LLVMBuildStore(b, d[i], local(m.d().get(i)).slot());
            }
            case Stmt.Block block -> {
                scopes.push(new HashMap<>());
                for (Stmt x : block.body()) stmt(x);
                scopes.pop();
            }
            case Stmt.Loop l -> {
                LLVMValueRef lo = expr(l.lo()), hi = expr(l.hi());
                if (l.schedule() == Stmt.Schedule.PARALLEL && parallelFor != null) parallel(l, lo, hi);
                else loop(l.var(), lo, hi, l.step(), l.body());
            }
            case Stmt.Declare d -> bind(d.var(), d.type(), expr(d.init()));
            case Stmt.Assign a -> LLVMBuildStore(b, expr(a.value()), local(a.var()).slot());
            case Stmt.Store st -> store(st);
            case Stmt.If i -> {
                LLVMValueRef cond = expr(i.cond());
                LLVMBasicBlockRef then = block("then"), otherwise = block("else"), after = block("endif");
                LLVMBuildCondBr(b, cond, then, otherwise);
                LLVMPositionBuilderAtEnd(b, then);
                scoped(i.then());
                LLVMBuildBr(b, after);
                LLVMPositionBuilderAtEnd(b, otherwise);
                scoped(i.otherwise());
                LLVMBuildBr(b, after);
                LLVMPositionBuilderAtEnd(b, after);
            }
        }
    }

    private void scoped(Stmt s) {
        scopes.push(new HashMap<>());
        stmt(s);
        scopes.pop();
    }

    /** {@code for (var = lo; var < hi; var += step)}; the bounds were evaluated once, on entry. */
    private void loop(String var, LLVMValueRef lo, LLVMValueRef hi, long step, Stmt body) {
        if (step <= 0) throw new IllegalArgumentException("loop " + var + " has step " + step);
        loop(var, lo, hi, LLVMConstInt(ir.i64, step, 1), body);
    }

    /** As above with a step computed at run time (positive). */
    private void loop(String var, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef step, Stmt body) {
        loop(var, lo, hi, step, () -> stmt(body));
    }

    /** As above, the body written by {@code body} with {@code var} in scope. */
    private void loop(String var, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef step, Runnable body) {
        LLVMValueRef counter = slot(LType.INDEX, var);
        LLVMBuildStore(b, lo, counter);
        LLVMBasicBlockRef header = block(var + ".head"), bodyBlock = block(var + ".body"), exit = block(var + ".exit");
        LLVMBuildBr(b, header);
        LLVMPositionBuilderAtEnd(b, header);
        LLVMValueRef i = LLVMBuildLoad2(b, ir.i64, counter, var);
        LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSLT, i, hi, ""), bodyBlock, exit);
        LLVMPositionBuilderAtEnd(b, bodyBlock);
        var scope = new HashMap<String, Local>();
        scope.put(var, new Local(counter, LType.INDEX));
        scopes.push(scope);
        body.run();
        scopes.pop();
        LLVMValueRef current = LLVMBuildLoad2(b, ir.i64, counter, "");
        LLVMBuildStore(b, LLVMBuildNSWAdd(b, current, step, ""), counter);
        LLVMBuildBr(b, header);
        LLVMPositionBuilderAtEnd(b, exit);
    }

    /** Outlines the loop's body and runs it through {@code parallel_for} (see the class comment). */
    private void parallel(Stmt.Loop l, LLVMValueRef lo, LLVMValueRef hi) {
        var usage = LoopUsage.ofLoopBody(l);
        if (!usage.assignedFree.isEmpty()) {
            throw new IllegalArgumentException("parallel loop " + l.var() + " assigns outer locals " + usage.assignedFree);
        }
        List<String> captured = new ArrayList<>();
        for (String v : usage.free) if (lookup(v) != null) captured.add(v);
        List<String> dimNames = new ArrayList<>(dims.keySet());

        // the body over a chunk: (lo, hi, status, storages..., dims..., captured...)
        List<LLVMTypeRef> params = new ArrayList<>(List.of(ir.i64, ir.i64, ir.ptr));
        for (int i = 0; i < storageValues.size(); i++) params.add(ir.ptr);
        for (int i = 0; i < dimNames.size(); i++) params.add(ir.i64);
        for (String v : captured) params.add(ir.type(lookup(v).type()));
        String bodyName = name + ".p" + outlined++;
        LLVMValueRef bodyFn = module.internalFunction(bodyName, ir.voidType, params);
        ir.attribute(bodyFn, -1, "alwaysinline");
        for (int i = 0; i < storageValues.size(); i++) ir.attribute(bodyFn, 4 + i, "noalias");
        List<LLVMValueRef> bodyStorages = new ArrayList<>();
        for (int i = 0; i < storageValues.size(); i++) bodyStorages.add(LLVMGetParam(bodyFn, 3 + i));
        var bodyDims = new java.util.LinkedHashMap<String, LLVMValueRef>();
        for (int i = 0; i < dimNames.size(); i++) bodyDims.put(dimNames.get(i), LLVMGetParam(bodyFn, 3 + storageValues.size() + i));
        var inner = new FunctionEmitter(ir, module, bodyName, bodyFn, storages, bodyStorages, bodyDims, LLVMGetParam(bodyFn, 2), null);
        int first = 3 + storageValues.size() + dimNames.size();
        for (int i = 0; i < captured.size(); i++) inner.bind(captured.get(i), lookup(captured.get(i)).type(), LLVMGetParam(bodyFn, first + i));
        inner.emitLoopAndReturn(l.var(), LLVMGetParam(bodyFn, 0), LLVMGetParam(bodyFn, 1), l.step(), l.body());

        // what the chunk wrapper unpacks: status, storages, dims, captured
        List<LLVMTypeRef> fields = new ArrayList<>(params.subList(2, params.size()));
        LLVMTypeRef envType = LLVMStructTypeInContext(ir.context, Ir.pointers(fields.toArray(new LLVMTypeRef[0])), fields.size(), 0);
        LLVMValueRef chunk = chunkWrapper(bodyName + ".chunk", bodyFn, params, envType, fields.size());

        List<LLVMValueRef> values = new ArrayList<>();
        values.add(status);
        values.addAll(storageValues);
        for (String d : dimNames) values.add(dims.get(d));
        for (String v : captured) values.add(load(lookup(v)));
        LLVMValueRef env = LLVMBuildAlloca(allocas, envType, "env");
        for (int i = 0; i < values.size(); i++) LLVMBuildStore(b, values.get(i), LLVMBuildStructGEP2(b, envType, env, i, ""));

        LLVMBasicBlockRef serial = block("serial"), split = block("split"), after = block("joined");
        LLVMBuildCondBr(b, LLVMBuildIsNull(b, parallelFor, ""), serial, split);
        LLVMPositionBuilderAtEnd(b, serial);
        LLVMTypeRef chunkType = ir.functionType(ir.voidType, ir.i64, ir.i64, ir.ptr);
        LLVMBuildCall2(b, chunkType, chunk, Ir.pointers(lo, hi, env), 3, "");
        LLVMBuildBr(b, after);
        LLVMPositionBuilderAtEnd(b, split);
        LLVMTypeRef forType = ir.functionType(ir.voidType, ir.ptr, ir.ptr, ir.i64, ir.i64, ir.i64, ir.i64);
        LLVMValueRef work = LLVMConstInt(ir.i64, LoopUsage.work(l.body()), 1);
        LLVMBuildCall2(b, forType, parallelFor, Ir.pointers(chunk, env, lo, hi, LLVMConstInt(ir.i64, l.step(), 1), work), 6, "");
        LLVMBuildBr(b, after);
        LLVMPositionBuilderAtEnd(b, after);
    }

    /** {@code void name(i64 lo, i64 hi, ptr env)}: loads the body's other arguments from env and calls it. */
    private LLVMValueRef chunkWrapper(String wrapperName, LLVMValueRef bodyFn, List<LLVMTypeRef> params, LLVMTypeRef envType, int fields) {
        LLVMValueRef f = module.internalFunction(wrapperName, ir.voidType, List.of(ir.i64, ir.i64, ir.ptr));
        LLVMBuilderRef w = LLVMCreateBuilderInContext(ir.context);
        try {
            LLVMPositionBuilderAtEnd(w, LLVMAppendBasicBlockInContext(ir.context, f, "entry"));
            LLVMValueRef env = LLVMGetParam(f, 2);
            LLVMValueRef[] args = new LLVMValueRef[params.size()];
            args[0] = LLVMGetParam(f, 0);
            args[1] = LLVMGetParam(f, 1);
            for (int i = 0; i < fields; i++) {
                args[2 + i] = LLVMBuildLoad2(w, params.get(2 + i), LLVMBuildStructGEP2(w, envType, env, i, ""), "");
            }
            LLVMTypeRef bodyType = ir.functionType(ir.voidType, params.toArray(new LLVMTypeRef[0]));
            LLVMBuildCall2(w, bodyType, bodyFn, Ir.pointers(args), args.length, "");
            LLVMBuildRetVoid(w);
        } finally {
            LLVMDisposeBuilder(w);
        }
        return f;
    }

    private void store(Stmt.Store st) {
        LLVMValueRef value = expr(st.value());
        LType type = st.value().type();
        DType dtype = program().buffer(st.buffer()).dtype();
        if (dtype == DType.BOOL) value = LLVMBuildZExt(b, value, ir.memory(type), "");
        LLVMValueRef at = address(st.buffer(), dtype, expr(st.index()));
        LLVMValueRef s = LLVMBuildStore(b, value, at);
        LLVMSetAlignment(s, dtype.bytes);
    }

    // ---- expressions ----

    private LLVMValueRef expr(Expr e) {
        return switch (e) {
            case Expr.GpuIndex g -> gpuIndex(g.axis());
            case Expr.ShuffleDown d -> gpu("shfl_down").shuffleDown(b, expr(d.value()), d.value().type(), d.delta());
            case Expr.Index i -> LLVMConstInt(ir.i64, i.value(), 1);
            case Expr.Const c -> ops.constant(c.type(), c.value());
            case Expr.Var v -> {
                Local local = local(v.name());
                yield load(local);
            }
            case Expr.Dim d -> {
                LLVMValueRef v = dims.get(d.name());
                if (v == null) throw new IllegalStateException("dimension " + d.name() + " is not bound in " + name);
                yield v;
            }
            case Expr.Load l -> load(l);
            case Expr.Unary u -> ops.unary(u.fn(), u.a().type(), expr(u.a()));
            case Expr.Binary x -> ops.binary(x.fn(), x.a().type(), expr(x.a()), expr(x.b()));
            case Expr.Select s -> LLVMBuildSelect(b, expr(s.cond()), expr(s.a()), expr(s.b()), "");
            case Expr.Cast c -> ops.cast(c.a().type(), c.type(), expr(c.a()));
            case Expr.Splat s -> ops.splat(expr(s.scalar()), s.lanes());
            case Expr.Fma f -> ops.fma(f.type(), expr(f.a()), expr(f.b()), expr(f.c()));
            case Expr.ReduceLanes r -> {
                LLVMValueRef v = expr(r.vector());
                LType lane = r.type();
                LLVMValueRef acc = LLVMBuildExtractElement(b, v, LLVMConstInt(ir.i32, 0, 0), "");
                for (int i = 1; i < r.vector().type().lanes(); i++) {
                    acc = ops.binary(r.fn(), lane, acc, LLVMBuildExtractElement(b, v, LLVMConstInt(ir.i32, i, 0), ""));
                }
                yield acc;
            }
            case Expr.Call c -> switch (c.fn()) {
                case RANDOM_UNIFORM -> RandomBits.uniform(ir, b, expr(c.args().get(0)), expr(c.args().get(1)), expr(c.args().get(2)), c.type().dtype());
            };
        };
    }

    private LLVMValueRef load(Expr.Load l) {
        DType dtype = program().buffer(l.buffer()).dtype();
        LLVMValueRef at = address(l.buffer(), dtype, expr(l.index()));
        LLVMValueRef v = LLVMBuildLoad2(b, ir.memory(l.type()), at, "");
        LLVMSetAlignment(v, dtype.bytes);
        if (dtype != DType.BOOL) return v;
        return LLVMBuildICmp(b, LLVMIntNE, v, LLVMConstNull(ir.memory(l.type())), "");
    }

    private Gpu gpu(String what) {
        if (gpu == null) throw new UnsupportedOperationException(what + " is GPU-only Loop IR; the llvm backend runs CPU kernels");
        return gpu;
    }

    /** The thread's index, or the block's along an axis: the flat block index split by the launch's x and y block counts. */
    private LLVMValueRef gpuIndex(Expr.GpuAxis axis) {
        if (axis == Expr.GpuAxis.THREAD) return gpu("gpu.thread").thread(b);
        if (launch == null) throw new IllegalStateException("block indices need a block launch");
        LLVMValueRef flat = gpu("gpu.block").block(b);
        LLVMValueRef x = expr(launch.blocks().get(0)), y = expr(launch.blocks().get(1));
        return switch (axis) {
            case BLOCK_X -> LLVMBuildURem(b, flat, x, "block.x");
            case BLOCK_Y -> LLVMBuildURem(b, LLVMBuildUDiv(b, flat, x, ""), y, "block.y");
            case BLOCK_Z -> LLVMBuildUDiv(b, flat, LLVMBuildMul(b, x, y, ""), "block.z");
            case THREAD -> throw new IllegalStateException();
        };
    }

    private LLVMValueRef address(int buffer, DType dtype, LLVMValueRef index) {
        if (program().buffer(buffer).kind() == dev.modelc.loops.LoopProgram.Kind.SHARED) {
            return LLVMBuildInBoundsGEP2(b, ir.memory(dtype), gpu("a shared buffer").shared(b, buffer), Ir.pointers(index), 1, "");
        }
        LLVMValueRef base = storageValues.get(storages.of(buffer));
        return LLVMBuildInBoundsGEP2(b, ir.memory(dtype), base, Ir.pointers(index), 1, "");
    }

    private LLVMValueRef load(Local local) { return LLVMBuildLoad2(b, ir.type(local.type()), local.slot(), ""); }

    private Local local(String var) {
        Local l = lookup(var);
        if (l == null) throw new IllegalStateException("local " + var + " is not declared in " + name);
        return l;
    }

    private Local lookup(String var) {
        for (var scope : scopes) {
            Local l = scope.get(var);
            if (l != null) return l;
        }
        return null;
    }

    private LLVMValueRef slot(LType type, String var) { return LLVMBuildAlloca(allocas, ir.type(type), var); }

    private LLVMBasicBlockRef block(String label) { return LLVMAppendBasicBlockInContext(ir.context, function, label); }

    private dev.modelc.loops.LoopProgram program() { return module.program(); }
}
