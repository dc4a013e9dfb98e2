package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.ProgramLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CudaRunner} on {@link FakeCudaDriver}: a training step in miniature. The param {@code w}
 * (3 floats) and the counter {@code count} are resident; each step reads a batch {@code x} (B×3),
 * predicts {@code pred = x·w}, sums it into {@code loss}, writes {@code w - 0.5} to a temporary
 * that is {@code w}'s new value, and counts itself in place.
 */
class CudaRunnerTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;

    private static final GpuPlan STEP = new GpuPlan(
            new ProgramLayout("step", List.of("B"), List.of(
                    new ProgramLayout.Buffer(0, "w", DType.F32, List.of("3"), true, -1),
                    new ProgramLayout.Buffer(1, "x", DType.F32, List.of("B", "3"), true, -1),
                    new ProgramLayout.Buffer(2, "pred", DType.F32, List.of("B"), false, 0),
                    new ProgramLayout.Buffer(3, "loss", DType.F32, List.of(), false, 1),
                    new ProgramLayout.Buffer(4, "w_next", DType.F32, List.of("3"), false, 2),
                    new ProgramLayout.Buffer(5, "count", DType.I64, List.of(), true, -1)),
                    ordered("w", 0, "x", 1, "count", 5),
                    ordered("pred", 2, "loss", 3, "w", 4, "count", 5)),
            List.of(new GpuPlan.Launch("predict", GpuPlan.Mode.GRID, List.of(List.of(1), List.of(0), List.of(2))),
                    new GpuPlan.Launch("sum", GpuPlan.Mode.SINGLE, List.of(List.of(2), List.of(3))),
                    new GpuPlan.Launch("update", GpuPlan.Mode.GRID, List.of(List.of(0), List.of(4), List.of(5)))));

    private static Map<String, Integer> ordered(Object... namesAndIds) {
        var m = new java.util.LinkedHashMap<String, Integer>();
        for (int i = 0; i < namesAndIds.length; i += 2) m.put((String) namesAndIds[i], (Integer) namesAndIds[i + 1]);
        return m;
    }

    private FakeCudaDriver driver;
    private CudaModule module;

    @BeforeEach
    void kernels() {
        driver = new FakeCudaDriver();
        driver.kernel("predict", l -> { // status, x, w, pred, B
            long b = l.arg(4);
            MemorySegment x = driver.memory(l.arg(1)), w = driver.memory(l.arg(2)), pred = driver.memory(l.arg(3));
            for (long i = 0; i < b; i++) {
                float s = 0;
                for (long j = 0; j < 3; j++) s += x.getAtIndex(F, i * 3 + j) * w.getAtIndex(F, j);
                pred.setAtIndex(F, i, s);
            }
        });
        driver.kernel("sum", l -> { // status, pred, loss, B
            MemorySegment pred = driver.memory(l.arg(1));
            float s = 0;
            for (long i = 0; i < l.arg(3); i++) s += pred.getAtIndex(F, i);
            driver.memory(l.arg(2)).set(F, 0, s);
        });
        driver.kernel("update", l -> { // status, w, w_next, count, B
            MemorySegment w = driver.memory(l.arg(1)), next = driver.memory(l.arg(2)), count = driver.memory(l.arg(3));
            for (long j = 0; j < 3; j++) next.setAtIndex(F, j, w.getAtIndex(F, j) - 0.5f);
            count.set(L, 0, count.get(L, 0) + 1);
        });
        module = CudaModule.load(driver, "step", "// ptx");
    }

    private CudaRunner runner() { return new CudaRunner(STEP, module, Set.of("w", "count", "not_an_input")); }

    private static Tensor batch(int rows) {
        float[] v = new float[rows * 3];
        for (int i = 0; i < v.length; i++) v[i] = i + 1;
        return Tensor.of(v, rows, 3);
    }

    @Test
    void aTemporaryNoLaunchNamesGetsNoDeviceMemory() {
        // as a GPU kernel's shared-memory buffer: in the layout, in no launch's storages
        var buffers = new java.util.ArrayList<>(STEP.layout().buffers());
        buffers.add(new ProgramLayout.Buffer(6, "shared6", DType.F32, List.of("1000"), false, 3));
        var layout = new ProgramLayout("step", List.of("B"), buffers, STEP.layout().inputs(), STEP.layout().results());
        try (var runner = new CudaRunner(new GpuPlan(layout, STEP.launches()), module, Set.of("w", "count"))) {
            runner.run(Map.of("x", batch(2)), Map.of("B", 2L));
            assertTrue(driver.calls("alloc").stream().allMatch(c -> c.bytes() < 4000), driver.calls("alloc").toString());
        }
    }

    @Test
    void launchOnlyRunsTheKernelsAgainWithoutCopies() {
        try (var runner = runner()) {
            runner.put("w", Tensor.of(new float[] {1, 2, 3}, 3));
            assertThrows(IllegalStateException.class, () -> runner.launchOnly(Map.of("B", 2L)), "no run yet");
            runner.run(Map.of("x", batch(2)), Map.of("B", 2L));
            driver.clearCalls();
            runner.launchOnly(Map.of("B", 2L));
            assertEquals(STEP.launches().size(), driver.launches().size(), "every kernel launched again");
            assertEquals(0, driver.calls("htod").size(), "nothing copied in");
            assertEquals(1, driver.calls("dtoh").size(), "only the status word read back");
            assertThrows(IllegalStateException.class, () -> runner.launchOnly(Map.of("B", 3L)), "storage for B=3 was never set up");
        }
    }

    @Test
    void residentParamsAreCopiedOnceAndTheBatchEveryRun() {
        try (var runner = runner()) {
            assertEquals(List.of("w", "count"), runner.residents());
            runner.put("w", Tensor.of(new float[] {1, 2, 3}, 3));
            for (int step = 0; step < 5; step++) runner.run(Map.of("x", batch(2)), Map.of("B", 2L));
            long w = driver.launches().getFirst().arg(2), x = driver.launches().getFirst().arg(1);
            assertEquals(1, driver.count("htod", w), "w went to the device once, by put");
            assertEquals(5, driver.count("htod", x), "the batch went every run");
            assertEquals(6, driver.calls("htod").size(), "nothing else was copied in");
            assertEquals(5, driver.count("dtod", w), "w's new value was carried over on the device each run");
            assertEquals(5 * 3, driver.calls("dtoh").size(), "each run read back the status, pred and loss, not w or count");

            assertEquals(Tensor.of(new float[] {1 - 2.5f, 2 - 2.5f, 3 - 2.5f}, 3), runner.get("w"));
            assertEquals(Tensor.of(new long[] {5}), runner.get("count"));
            assertEquals(Set.of("loss", "pred"), runner.results().keySet());
            // the fifth run predicted with w after four updates: (-1, 0, 1)
            assertEquals(Tensor.of(new float[] {2, 2}, 2), runner.results().get("pred"));
            assertEquals(4.0, runner.scalar("loss"));
            assertEquals(5.0, runner.scalar("count"));
        }
    }

    @Test
    void launchesRunInOrderWithTheGridTheDeviceFillsAndTheStatusStoragesDimsArguments() {
        try (var runner = runner()) {
            runner.run(Map.of("x", batch(4)), Map.of("B", 4L, "unused", 9L));
            var launches = driver.launches();
            assertEquals(List.of("predict", "sum", "update"), launches.stream().map(FakeCudaDriver.Launch::function).toList());
            assertEquals(4 * 2048 / 256, runner.gridBlocks());
            assertEquals(List.of(32, 1, 32), launches.stream().map(FakeCudaDriver.Launch::blocks).toList());
            assertEquals(List.of(256, 1, 256), launches.stream().map(FakeCudaDriver.Launch::threadsPerBlock).toList());
            long status = launches.getFirst().arg(0);
            for (var l : launches) {
                assertEquals(status, l.arg(0), "every kernel gets the one status word first");
                assertEquals(4L, l.arg(l.args().length - 1), "and the dimension values last");
            }
            assertEquals(launches.get(0).arg(3), launches.get(1).arg(1), "pred is one storage across launches");
            assertEquals(launches.get(0).arg(2), launches.get(2).arg(1), "so is the resident w");
            var kinds = driver.calls().stream().map(FakeCudaDriver.Call::kind).toList();
            int sync = kinds.indexOf("sync");
            assertTrue(kinds.lastIndexOf("launch") < sync && sync < kinds.indexOf("dtoh"), "synchronised after the launches, before reading back");
            assertTrue(kinds.lastIndexOf("zero") < kinds.indexOf("launch"), "the status was zeroed before the launches");
        }
    }

    @Test
    void aNonZeroStatusWordIsTheNativeStatusExceptionAndTheNextRunStartsClean() {
        try (var runner = runner()) {
            runner.put("w", Tensor.of(new float[] {1, 2, 3}, 3));
            driver.kernel("sum", l -> driver.memory(l.arg(0)).set(ValueLayout.JAVA_INT, 0, 1));
            var e = assertThrows(ArithmeticException.class, () -> runner.run(Map.of("x", batch(2)), Map.of("B", 2L)));
            assertEquals("step: integer division by zero", e.getMessage());
            assertTrue(driver.calls("dtod").isEmpty(), "a failed step does not replace w");
            assertThrows(IllegalStateException.class, runner::results);

            driver.kernel("sum", l -> driver.memory(l.arg(0)).set(ValueLayout.JAVA_INT, 0, 2));
            e = assertThrows(ArithmeticException.class, () -> runner.run(Map.of("x", batch(2)), Map.of("B", 2L)));
            assertEquals("step: an integer to a negative power", e.getMessage());

            driver.kernel("sum", l -> {});
            runner.run(Map.of("x", batch(2)), Map.of("B", 2L));
            assertEquals(Set.of("loss", "pred"), runner.results().keySet());
        }
    }

    @Test
    void storageIsKeptForTheTwoLatestDimsAndAnOlderOnesBlocksAreReused() {
        try (var runner = runner()) {
            runner.run(Map.of("x", batch(2)), Map.of("B", 2L));
            runner.run(Map.of("x", batch(3)), Map.of("B", 3L));
            int allocations = driver.calls("alloc").size();
            runner.run(Map.of("x", batch(2)), Map.of("B", 2L));
            runner.run(Map.of("x", batch(3)), Map.of("B", 3L));
            assertEquals(allocations, driver.calls("alloc").size(), "both storages were kept");

            runner.run(Map.of("x", batch(4)), Map.of("B", 4L)); // drops B=2's storage
            driver.clearCalls();
            runner.run(Map.of("x", batch(2)), Map.of("B", 2L)); // drops B=3's and reuses B=2's old blocks
            assertTrue(driver.calls("alloc").isEmpty(), "served from the allocator's cache: " + driver.calls("alloc"));
            // w started at zero and five runs took 0.5 off each time
            assertEquals(Tensor.of(new float[] {6 * -2.5f, 15 * -2.5f}, 2), runner.results().get("pred"), "the reused storage computes right");
        }
    }

    @Test
    void closingGivesBackEveryBlock() {
        var runner = runner();
        runner.put("w", Tensor.of(new float[] {1, 2, 3}, 3));
        runner.run(Map.of("x", batch(2)), Map.of("B", 2L));
        runner.run(Map.of("x", batch(5)), Map.of("B", 5L));
        assertFalse(driver.live().isEmpty());
        runner.close();
        assertEquals(Map.of(), driver.live());
        assertThrows(IllegalStateException.class, () -> runner.run(Map.of("x", batch(2)), Map.of("B", 2L)));
    }

    @Test
    void aSharedAllocatorOutlivesTheRunnerAndKeepsItsBlocks() {
        try (var allocator = new DeviceAllocator(driver)) {
            try (var runner = new CudaRunner(STEP, module, allocator, Set.of("w"))) {
                runner.run(Map.of("x", batch(2), "count", Tensor.scalar(0L)), Map.of("B", 2L));
            }
            assertEquals(allocator.reservedBytes(), allocator.cachedBytes(), "every block is back, for the next runner");
            int allocations = driver.calls("alloc").size();
            try (var runner = new CudaRunner(STEP, module, allocator, Set.of("w"))) {
                runner.run(Map.of("x", batch(2), "count", Tensor.scalar(0L)), Map.of("B", 2L));
            }
            assertEquals(allocations, driver.calls("alloc").size());
        }
        assertEquals(Map.of(), driver.live());
    }

    @Test
    void aWrongInputIsRejectedBeforeAnythingIsCopied() {
        try (var runner = runner()) {
            driver.clearCalls();
            var e = assertThrows(IllegalArgumentException.class,
                    () -> runner.run(Map.of("x", Tensor.of(new double[6], 2, 3)), Map.of("B", 2L)));
            assertEquals("input x is float64, not float32", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> runner.run(Map.of("x", Tensor.of(new float[6], 3, 2)), Map.of("B", 2L)));
            assertEquals("input x has shape (3, 2), not (2, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> runner.run(Map.of(), Map.of("B", 2L)));
            assertEquals("missing input x", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> runner.run(Map.of("x", batch(2)), Map.of()));
            assertEquals("dimension B is not bound", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> runner.put("w", Tensor.of(new float[4], 4)));
            assertEquals("input w has shape (4,), not (3,)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> runner.put("x", batch(2)));
            assertEquals("input x is not resident", e.getMessage());
            var outside = assertThrows(IndexOutOfBoundsException.class,
                    () -> runner.run(Map.of("x", batch(5)), new long[] {0, 9}, Map.of("B", 2L)));
            assertEquals("input x: row 9 is outside 0..4", outside.getMessage());
            for (var c : driver.calls()) assertFalse(Set.of("htod", "launch").contains(c.kind()), "copied or launched: " + c);
        }
    }

    @Test
    void aDriverFailureNamesTheCallTheKernelAndTheEntry() {
        try (var runner = runner()) {
            driver.failNext("launch", 701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch");
            var e = assertThrows(CudaException.class, () -> runner.run(Map.of("x", batch(2)), Map.of("B", 2L)));
            assertEquals("step: cuLaunchKernel(predict) failed: CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (too many resources requested for launch)",
                    e.getMessage());
            assertEquals(701, e.code());
            driver.failNext("sync", 700, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered");
            e = assertThrows(CudaException.class, () -> runner.run(Map.of("x", batch(2)), Map.of("B", 2L)));
            assertEquals("step: cuCtxSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was encountered)", e.getMessage());
        }
        var plan = new GpuPlan(STEP.layout(), List.of(new GpuPlan.Launch("missing", GpuPlan.Mode.SINGLE, List.of())));
        var e = assertThrows(CudaException.class, () -> new CudaRunner(plan, module, Set.of()));
        assertEquals("cuModuleGetFunction(missing in step) failed: CUDA_ERROR_NOT_FOUND (named symbol not found)", e.getMessage());
    }

    @Test
    void rowsOfADatasetAreGatheredOnTheHostAndCopiedOnce() {
        try (var runner = runner()) {
            runner.put("w", Tensor.of(new float[] {1, 0, 0}, 3));
            var data = batch(5); // row r starts with 3r + 1
            runner.run(Map.of("x", data), new long[] {4, 0, 2}, Map.of("B", 3L));
            var results = runner.results();
            assertEquals(Tensor.of(new float[] {13, 1, 7}, 3), results.get("pred"));
            long x = driver.launches().getFirst().arg(1);
            assertEquals(List.of(3L * 3 * 4), driver.calls("htod").stream().filter(c -> c.address() == x).map(FakeCudaDriver.Call::bytes).toList());
        }
    }

    @Test
    void scalarsArePutIntoResidentsAndReadFromResults() {
        try (var runner = runner()) {
            runner.putScalar("count", 41L);
            runner.run(Map.of("x", batch(1)), Map.of("B", 1L));
            assertEquals(42.0, runner.scalar("count"));
            assertEquals(Tensor.of(new long[] {42}), runner.get("count"));
            var e = assertThrows(IllegalArgumentException.class, () -> runner.putScalar("count", 1.5));
            assertEquals("input count is not floating-point", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> runner.scalar("nope"));
        }
    }

    @Test
    void aResidentMustHaveAFixedShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CudaRunner(STEP, module, Set.of("x")));
        assertTrue(e.getMessage().startsWith("input x cannot be resident: its shape [B, 3] is not fixed"), e.getMessage());
        assertEquals(Map.of(), driver.live(), "what it had allocated went back");
    }

    @Test
    void boolsTravelAsOneByteEach() {
        var plan = new GpuPlan(new ProgramLayout("not", List.of("N"), List.of(
                new ProgramLayout.Buffer(0, "m", DType.BOOL, List.of("N"), true, -1),
                new ProgramLayout.Buffer(1, "out", DType.BOOL, List.of("N"), false, 0)),
                Map.of("m", 0), Map.of("out", 1)),
                List.of(new GpuPlan.Launch("not", GpuPlan.Mode.GRID, List.of(List.of(0), List.of(1)))));
        driver.kernel("not", l -> {
            for (long i = 0; i < l.arg(3); i++) {
                driver.memory(l.arg(2)).set(ValueLayout.JAVA_BYTE, i, (byte) (1 - driver.memory(l.arg(1)).get(ValueLayout.JAVA_BYTE, i)));
            }
        });
        try (var runner = new CudaRunner(plan, CudaModule.load(driver, "not", ""), List.of())) {
            runner.run(Map.of("m", Tensor.of(new boolean[] {true, false, false}, 3)), Map.of("N", 3L));
            var out = runner.results();
            assertEquals(Tensor.of(new boolean[] {false, true, true}, 3), out.get("out"));
            assertEquals(3, driver.calls("htod").getFirst().bytes());
        }
    }
}
