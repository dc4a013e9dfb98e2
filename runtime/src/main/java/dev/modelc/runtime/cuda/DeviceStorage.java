package dev.modelc.runtime.cuda;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.DimFormula;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's device storage for one binding of its dimension variables: one allocation per input
 * buffer (the resident inputs' are the runner's and shared by every binding) and one per slot of
 * temporaries, sized for its largest buffer; and each launch's kernel parameters, which are fixed
 * once the allocations and dimension values are (so a run builds nothing). Zeroed when made, as
 * the CPU backends' storage is.
 */
final class DeviceStorage {
    private final long[] dimValues;
    private final BufferShapes shapes;
    private final long[] addresses;
    private final KernelParams[] params;
    private final List<DeviceAllocator.Block> blocks;
    private final Arena arena;

    private DeviceStorage(long[] dimValues, BufferShapes shapes, long[] addresses, KernelParams[] params,
                          List<DeviceAllocator.Block> blocks, Arena arena) {
        this.dimValues = dimValues;
        this.shapes = shapes;
        this.addresses = addresses;
        this.params = params;
        this.blocks = blocks;
        this.arena = arena;
    }

    /** Every buffer's shape and byte size for some dimension values, evaluated before anything is allocated. */
    record BufferShapes(long[][] shapes, long[] bytes) {
        static BufferShapes of(ProgramLayout layout, long[] dimValues) {
            var env = new HashMap<String, Long>();
            for (int i = 0; i < dimValues.length; i++) env.put(layout.dims().get(i), dimValues[i]);
            int n = layout.buffers().size();
            long[][] shapes = new long[n][];
            long[] bytes = new long[n];
            for (var b : layout.buffers()) {
                shapes[b.id()] = b.shape().stream().mapToLong(d -> DimFormula.evaluate(d, env)).toArray();
                bytes[b.id()] = Tensor.byteSizeOf(b.dtype(), shapes[b.id()]);
            }
            return new BufferShapes(shapes, bytes);
        }

        long[] shape(int id) { return shapes[id]; }

        long bytes(int id) { return bytes[id]; }
    }

    /**
     * Allocates the storage and builds the launches' parameters.
     *
     * @param given the resident inputs' addresses, by buffer id
     * @param status the status word's address, every launch's first parameter
     */
    static DeviceStorage allocate(GpuPlan plan, long[] dimValues, BufferShapes shapes, Map<Integer, Long> given, long status,
                                  DeviceAllocator allocator) {
        var layout = plan.layout();
        int n = layout.buffers().size();
        // temporaries no launch names (a GPU kernel's shared-memory buffers) get no device memory
        var used = new java.util.HashSet<Integer>(layout.results().values());
        for (var launch : plan.launches()) for (var group : launch.storages()) used.addAll(group);
        var slotBytes = new HashMap<Integer, Long>();
        for (var b : layout.buffers()) if (!b.input() && used.contains(b.id())) slotBytes.merge(b.slot(), shapes.bytes(b.id()), Math::max);
        var blocks = new ArrayList<DeviceAllocator.Block>();
        var arena = Arena.ofShared();
        try {
            var slotAddress = new HashMap<Integer, Long>();
            slotBytes.forEach((slot, bytes) -> slotAddress.put(slot, take(allocator, bytes, blocks)));
            long[] addresses = new long[n];
            for (var b : layout.buffers()) {
                Long mine = given.get(b.id());
                addresses[b.id()] = mine != null ? mine : b.input() ? take(allocator, shapes.bytes(b.id()), blocks) : slotAddress.getOrDefault(b.slot(), 0L);
            }
            var params = new KernelParams[plan.launches().size()];
            for (int i = 0; i < params.length; i++) {
                var launch = plan.launches().get(i);
                long[] values = new long[1 + launch.storages().size() + dimValues.length];
                values[0] = status;
                int at = 1;
                for (var group : launch.storages()) {
                    long address = addresses[group.getFirst()];
                    for (int id : group) {
                        if (addresses[id] != address) {
                            throw new IllegalArgumentException("launch " + launch.function() + " names buffers " + group.getFirst() + " and " + id
                                    + " as one storage, but they are not");
                        }
                    }
                    values[at++] = address;
                }
                for (long d : dimValues) values[at++] = d;
                params[i] = KernelParams.of(arena, values);
            }
            var driver = allocator.driver();
            for (var block : blocks) driver.zero(block.address(), block.size());
            return new DeviceStorage(dimValues.clone(), shapes, addresses, params, blocks, arena);
        } catch (RuntimeException e) {
            for (var block : blocks) allocator.release(block);
            arena.close();
            throw e;
        }
    }

    private static long take(DeviceAllocator allocator, long bytes, List<DeviceAllocator.Block> blocks) {
        var block = allocator.allocate(bytes);
        blocks.add(block);
        return block.address();
    }

    long[] dimValues() { return dimValues; }

    BufferShapes shapes() { return shapes; }

    /** Buffer {@code id}'s device address (shared with its slot). */
    long address(int id) { return addresses[id]; }

    KernelParams params(int launch) { return params[launch]; }

    /** Gives the allocations back (not the resident inputs', which are not this storage's). */
    void release(DeviceAllocator allocator) {
        for (var block : blocks) allocator.release(block);
        blocks.clear();
        arena.close();
    }
}
