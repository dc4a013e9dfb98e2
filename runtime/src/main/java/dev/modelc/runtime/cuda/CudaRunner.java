package dev.modelc.runtime.cuda;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.foreign.NativeStatus;
import dev.modelc.runtime.jvm.DimFormula;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link GpuPlan} on a GPU again and again with some of its inputs resident on the device,
 * as {@code ResidentRunner} does on the CPU: a resident input is copied to the device by
 * {@link #put} and stays there, and after a run the result of the same name is its new value
 * (written over it by the kernels, or copied device to device), so a training step's params and
 * optimiser state never leave the device. A run copies in only the other inputs (the batch),
 * launches the plan's kernels in order, and copies back only the results that are not residents'
 * new values (the loss, the metrics, an inference's outputs). Host and device meet only at these
 * calls.
 *
 * <p>Storage for the other buffers is kept for the two most recent sets of dimension values (a
 * full batch and the last, partial one), and comes from a {@link DeviceAllocator} that reuses
 * blocks. A kernel's integer division by zero or negative power is reported through a device
 * status word and thrown as {@link NativeStatus} throws it. One run at a time; close the runner to
 * give its device memory back.
 */
public final class CudaRunner implements dev.modelc.runtime.ResidentProgram, AutoCloseable {
    private static final int STORAGES_KEPT = 2;

    private final GpuPlan plan;
    private final ProgramLayout layout;
    private final CudaDriver driver;
    private final DeviceAllocator allocator;
    private final boolean ownsAllocator;
    private final CudaDriver.FunctionHandle[] functions;
    private final int gridBlocks;
    private final Map<String, Resident> residents = new LinkedHashMap<>();
    private final Map<Integer, Long> residentAddresses = new HashMap<>();
    private final List<String> others = new ArrayList<>();
    private final DeviceAllocator.Block status;
    private final LinkedHashMap<List<Long>, DeviceStorage> storages = new LinkedHashMap<>(4, 0.75f, true);
    private final HostStaging staging = new HostStaging();
    private DeviceStorage current;
    private Map<String, Tensor> lastResults;
    private boolean closed;

    /**
     * A resident input: its buffer, fixed shape, device block, and the result that is its new
     * value where that is another buffer (null where there is none or the kernels write it in place).
     */
    private record Resident(ProgramLayout.Buffer buffer, long[] shape, long bytes, DeviceAllocator.Block block, Integer newValue) {}

    /** As {@link #CudaRunner(GpuPlan, CudaModule, DeviceAllocator, Collection)} with an allocator of its own, closed with it. */
    public CudaRunner(GpuPlan plan, CudaModule module, Collection<String> residentInputs) {
        this(plan, module, new DeviceAllocator(module.driver()), residentInputs, true);
    }

    /**
     * @param module the plan's kernels, loaded
     * @param allocator where device memory comes from (it may serve other runners of the same driver)
     * @param residentInputs the inputs to keep on the device; those the plan does not read are
     *     ignored. Each must have a fixed shape. They start zeroed.
     * @throws CudaException if a kernel of the plan is not in the module
     */
    public CudaRunner(GpuPlan plan, CudaModule module, DeviceAllocator allocator, Collection<String> residentInputs) {
        this(plan, module, allocator, residentInputs, false);
    }

    private CudaRunner(GpuPlan plan, CudaModule module, DeviceAllocator allocator, Collection<String> residentInputs, boolean ownsAllocator) {
        if (allocator.driver() != module.driver()) throw new IllegalArgumentException("the allocator and the module use different drivers");
        this.plan = plan;
        this.layout = plan.layout();
        this.driver = module.driver();
        this.allocator = allocator;
        this.ownsAllocator = ownsAllocator;
        for (int i = 0; i < layout.buffers().size(); i++) {
            if (layout.buffers().get(i).id() != i) throw new IllegalArgumentException("buffer " + i + " of the layout has id " + layout.buffers().get(i).id());
        }
        this.functions = new CudaDriver.FunctionHandle[plan.launches().size()];
        for (int i = 0; i < functions.length; i++) {
            var launch = plan.launches().get(i);
            for (var group : launch.storages()) {
                if (group.isEmpty()) throw new IllegalArgumentException("launch " + launch.function() + " has a storage naming no buffer");
                for (int id : group) java.util.Objects.checkIndex(id, layout.buffers().size());
            }
            functions[i] = module.function(launch.function());
        }
        CudaDevice device = driver.device();
        // enough 256-thread blocks for every multiprocessor to hold as many threads as it can
        this.gridBlocks = device.multiprocessors() * Math.max(1, device.maxThreadsPerMultiprocessor() / GpuPlan.THREADS_PER_BLOCK);
        try {
            this.status = allocator.allocate(Integer.BYTES);
            for (var e : layout.inputs().entrySet()) {
                String name = e.getKey();
                if (residentInputs.contains(name)) addResident(name, layout.buffers().get(e.getValue()));
                else others.add(name);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void addResident(String name, ProgramLayout.Buffer b) {
        long[] shape;
        try {
            shape = b.shape().stream().mapToLong(d -> DimFormula.evaluate(d, Map.of())).toArray();
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("input " + name + " cannot be resident: its shape " + b.shape() + " is not fixed", ex);
        }
        long bytes = Tensor.byteSizeOf(b.dtype(), shape);
        var block = allocator.allocate(bytes);
        Integer result = layout.results().get(name);
        residents.put(name, new Resident(b, shape, bytes, block, result != null && result != b.id() ? result : null));
        residentAddresses.put(b.id(), block.address());
        driver.zero(block.address(), block.size());
    }

    public GpuPlan plan() { return plan; }

    public ProgramLayout layout() { return layout; }

    /** The resident inputs, in the program's order. */
    @Override
    public List<String> residents() { return List.copyOf(residents.keySet()); }

    /** The blocks a {@link GpuPlan.Mode#GRID} launch gets (of {@link GpuPlan#THREADS_PER_BLOCK} threads each). */
    public int gridBlocks() { return gridBlocks; }

    /** Sets a resident input's value: one copy to the device. */
    @Override
    public synchronized void put(String name, Tensor value) {
        var r = resident(name);
        InputCheck.whole(name, value, r.buffer().dtype(), r.shape());
        if (r.bytes() > 0) driver.copyToDevice(r.block().address(), value.segment(), r.bytes());
    }

    /** Sets element 0 of a resident input of a floating-point type (a step counter, a learning rate). */
    @Override
    public synchronized void putScalar(String name, double value) {
        var r = resident(name);
        var t = r.buffer().dtype();
        MemorySegment host = staging.take(t.byteSize());
        switch (t) {
            case F32 -> host.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, (float) value);
            case F64 -> host.set(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, value);
            default -> throw new IllegalArgumentException("input " + name + " is not floating-point");
        }
        putFirst(name, r, host);
    }

    /** Sets element 0 of a resident input of an integer type (a random key). */
    @Override
    public synchronized void putScalar(String name, long value) {
        var r = resident(name);
        var t = r.buffer().dtype();
        MemorySegment host = staging.take(t.byteSize());
        switch (t) {
            case I32 -> host.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, (int) value);
            case I64 -> host.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, value);
            default -> throw new IllegalArgumentException("input " + name + " is not an integer");
        }
        putFirst(name, r, host);
    }

    private void putFirst(String name, Resident r, MemorySegment host) {
        if (r.bytes() == 0) throw new IllegalArgumentException("input " + name + " has no elements");
        driver.copyToDevice(r.block().address(), host, host.byteSize());
    }

    /** A fresh tensor holding a resident input's current value: one copy from the device. */
    @Override
    public synchronized Tensor get(String name) {
        var r = resident(name);
        return fromDevice(r.buffer().dtype(), r.shape(), r.block().address());
    }

    /** As {@link #run(Map, long[], Map)} with every input that is not resident given whole. */
    @Override
    public void run(Map<String, Tensor> inputs, Map<String, Long> dims) { run(inputs, null, dims); }

    /**
     * Runs the plan once: checks every input that is not resident against the layout (dtype and
     * exact shape) before copying any, copies them to the device, launches the kernels in order,
     * waits, checks the status word, carries each resident's new value over, and copies the other
     * results back.
     *
     * @param rows null, or the rows (along axis 0) of each non-resident input's tensor that make
     *     its value: a batch gathered from a dataset on the host and copied in once
     * @param dims every dimension variable's value
     * @throws ArithmeticException for a kernel's integer division by zero or negative power
     * @throws CudaException if the driver fails; the message names the call, the kernel and the entry
     */
    @Override
    public synchronized void run(Map<String, Tensor> inputs, long[] rows, Map<String, Long> dims) {
        open();
        long[] values = dimValues(dims);
        var shapes = current != null && Arrays.equals(current.dimValues(), values)
                ? current.shapes() : DeviceStorage.BufferShapes.of(layout, values);
        for (String name : others) {
            var b = layout.buffers().get(layout.inputs().get(name));
            if (rows == null) InputCheck.whole(name, inputs.get(name), b.dtype(), shapes.shape(b.id()));
            else InputCheck.rows(name, inputs.get(name), rows, b.dtype(), shapes.shape(b.id()));
        }
        var storage = storageFor(values, shapes);
        lastResults = null;
        for (String name : others) {
            int id = layout.inputs().get(name);
            long bytes = shapes.bytes(id);
            if (bytes == 0) continue;
            Tensor t = inputs.get(name);
            driver.copyToDevice(storage.address(id), rows == null ? t.segment() : gather(t, rows, bytes), bytes);
        }
        launchAll(storage, dims);
        for (var r : residents.values()) {
            if (r.newValue() != null && r.bytes() > 0) driver.copyOnDevice(r.block().address(), storage.address(r.newValue()), r.bytes());
        }
        var out = new TreeMap<String, Tensor>();
        layout.results().forEach((name, id) -> {
            if (!residents.containsKey(name)) {
                var b = layout.buffers().get(id);
                out.put(name, fromDevice(b.dtype(), shapes.shape(id), storage.address(id)));
            }
        });
        lastResults = java.util.Collections.unmodifiableMap(out);
    }

    /**
     * Launches every kernel again on the storage as the last run left it for {@code dims} (the
     * resident inputs, and the other inputs that run copied in), copying nothing in or out: for
     * timing the kernels alone. Results stay on the device; {@link #results} still gives the last
     * full run's.
     */
    public synchronized void launchOnly(Map<String, Long> dims) {
        open();
        long[] values = dimValues(dims);
        if (current == null || !Arrays.equals(current.dimValues(), values)) {
            throw new IllegalStateException("launchOnly follows a run with the same dimension values");
        }
        launchAll(current, dims);
    }

    /** Zeroes the status word, launches the plan in order, waits, and turns a status into its exception. */
    private void launchAll(DeviceStorage storage, Map<String, Long> dims) {
        int[] blocks = blocks(storage.dimValues(), dims);
        driver.zero(status.address(), Integer.BYTES);
        String entry = layout.entry();
        try {
            for (int i = 0; i < functions.length; i++) {
                var launch = plan.launches().get(i);
                int threads = switch (launch.mode()) {
                    case GRID -> GpuPlan.THREADS_PER_BLOCK;
                    case SINGLE -> 1;
                    case BLOCKS -> launch.threads();
                };
                // a launch error once others have run cannot be undone: the residents may be partly updated
                if (blocks[i] > 0) driver.launch(functions[i], blocks[i], threads, storage.params(i));
            }
            driver.synchronize();
        } catch (CudaException e) {
            throw e.in(entry);
        }
        MemorySegment word = staging.take(Integer.BYTES);
        driver.copyToHost(word, status.address(), Integer.BYTES);
        NativeStatus.check(entry, word.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
    }

    private long[] blocksFor;
    private int[] launchBlocks;

    /**
     * Every launch's block count for these dimension values, worked out (from the plan's formula
     * texts) once per change of the values, not every step; all before the first launch, since a
     * launch that cannot start must not leave the state half updated.
     */
    private int[] blocks(long[] values, Map<String, Long> dims) {
        if (Arrays.equals(values, blocksFor)) return launchBlocks;
        int[] blocks = new int[functions.length];
        for (int i = 0; i < functions.length; i++) {
            var launch = plan.launches().get(i);
            long n = switch (launch.mode()) {
                case GRID -> gridBlocks;
                case SINGLE -> 1;
                case BLOCKS -> launch.blockCount(dims);
            };
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException(launch.function() + " needs " + n + " blocks, more than a launch takes");
            blocks[i] = (int) n;
        }
        blocksFor = values.clone();
        launchBlocks = blocks;
        return blocks;
    }

    /** The results of the last run that are not residents' new values, by name (sorted). */
    @Override
    public synchronized Map<String, Tensor> results() {
        if (lastResults == null) throw new IllegalStateException("no run of " + layout.entry() + " has finished");
        return lastResults;
    }

    /** Element 0 of a result of the last run (a loss, a metric), as a double. */
    @Override
    public synchronized double scalar(String result) {
        if (!layout.results().containsKey(result)) throw new IllegalArgumentException("no result " + result);
        Tensor t = results().get(result);
        if (t == null) t = get(result); // a resident's new value: already in its place
        if (t.elementCount() == 0) throw new IllegalArgumentException("result " + result + " has no elements");
        long[] first = new long[t.rank()];
        return switch (t.dtype()) {
            case I32, I64 -> t.getLong(first);
            case BOOL -> t.getBoolean(first) ? 1 : 0;
            case F32, F64, F16, BF16 -> t.getDouble(first);
        };
    }

    /** Gives every device block back to the allocator (and closes the allocator if it is this runner's own). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        lastResults = null;
        current = null;
        for (var s : storages.values()) s.release(allocator);
        storages.clear();
        for (var r : residents.values()) allocator.release(r.block());
        if (status != null) allocator.release(status);
        if (ownsAllocator) allocator.close();
    }

    private void open() {
        if (closed) throw new IllegalStateException("the runner of " + layout.entry() + " is closed");
    }

    private Resident resident(String name) {
        open();
        var r = residents.get(name);
        if (r == null) throw new IllegalArgumentException("input " + name + " is not resident");
        return r;
    }

    /** The layout's dimension values, in its order; each must be bound and not negative. */
    private long[] dimValues(Map<String, Long> dims) {
        long[] values = new long[layout.dims().size()];
        for (int i = 0; i < values.length; i++) {
            String name = layout.dims().get(i);
            Long v = dims.get(name);
            if (v == null) throw new IllegalArgumentException("dimension " + name + " is not bound");
            if (v < 0) throw new IllegalArgumentException("dimension " + name + " = " + v + " is out of range");
            values[i] = v;
        }
        return values;
    }

    private DeviceStorage storageFor(long[] values, DeviceStorage.BufferShapes shapes) {
        if (current != null && Arrays.equals(current.dimValues(), values)) return current;
        var key = Arrays.stream(values).boxed().toList();
        var storage = storages.get(key);
        if (storage == null) {
            for (var r : residents.values()) {
                if (r.newValue() != null && shapes.bytes(r.newValue()) != r.bytes()) {
                    throw new IllegalArgumentException("result " + r.buffer().name() + " has " + shapes.bytes(r.newValue())
                            + " bytes, but the resident input it replaces has " + r.bytes());
                }
            }
            if (storages.size() >= STORAGES_KEPT) {
                var oldest = storages.keySet().iterator().next();
                storages.remove(oldest).release(allocator);
            }
            storage = DeviceStorage.allocate(plan, values, shapes, residentAddresses, status.address(), allocator);
            storages.put(key, storage);
        }
        current = storage;
        return storage;
    }

    /** The rows of {@code t}, in order, in the staging buffer. */
    private MemorySegment gather(Tensor t, long[] rows, long bytes) {
        MemorySegment host = staging.take(bytes);
        MemorySegment src = t.segment();
        long rowBytes = rows.length == 0 ? 0 : bytes / rows.length;
        for (int k = 0; k < rows.length; k++) MemorySegment.copy(src, rows[k] * rowBytes, host, k * rowBytes, rowBytes);
        return host;
    }

    /** A fresh tensor of device memory at {@code address}. */
    private Tensor fromDevice(DType dtype, long[] shape, long address) {
        long bytes = Tensor.byteSizeOf(dtype, shape);
        if (bytes == 0) return Tensor.zeros(dtype, shape);
        MemorySegment host = staging.take(bytes);
        driver.copyToHost(host, address, bytes);
        return Tensor.fromBytes(dtype, shape, host, ByteOrder.LITTLE_ENDIAN);
    }
}
