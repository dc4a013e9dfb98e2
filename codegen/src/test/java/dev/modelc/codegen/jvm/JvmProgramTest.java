package dev.modelc.codegen.jvm;

import static dev.modelc.codegen.jvm.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.loops.LoopEvaluator;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.CompiledProgram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding and storage, errors, the listing, and the class bytes as an ordinary class. */
class JvmProgramTest {
    /** y = x * 2 over N elements (8-lane vectors, then a tail). */
    private static LoopProgram doubling() {
        return program(List.of("N"), List.of(input(0, "x", DType.F32, dimVar("N")), temp(1, "y", DType.F32, dimVar("N"))),
                vectorThenTail(1, dim("N"), 8, (i, l) -> mul(loadLanes(0, i, DType.F32, l), l == 1 ? f32(2) : splat(f32(2), l))));
    }

    private static Tensor floats(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i - 3.5f;
        return Tensor.of(x, n);
    }

    @Test
    void runsAgainWithOtherDimensionsAndTheSameOnes() {
        var compiled = JvmCompiler.compile(doubling());
        for (int n : new int[] {13, 13, 40, 5, 40}) {
            var out = compiled.run(Map.of("x", floats(n)), Map.of("N", (long) n));
            Agreement.assertSame(LoopEvaluator.run(doubling(), Map.of("x", floats(n)), Map.of("N", (long) n)), out);
            assertArrayEquals(new long[] {n}, out.get("y").shape());
            for (int i = 0; i < n; i++) assertEquals((i - 3.5f) * 2, out.get("y").getFloat(i));
        }
    }

    @Test
    void inputsAndDimensionsAreChecked() {
        var compiled = JvmCompiler.compile(doubling());
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of(), Map.of("N", 3L)));
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", floats(3)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", floats(4)), Map.of("N", 3L)));
        assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", Tensor.of(new double[3], 3)), Map.of("N", 3L)));
        var e = assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", floats(3)), Map.of("N", 3_000_000_000L)));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        var square = program(List.of("N"), List.of(temp(0, "y", DType.F32, dimVar("N"), dimVar("N"))));
        e = assertThrows(IllegalArgumentException.class, () -> JvmCompiler.compile(square).run(Map.of(), Map.of("N", 50_000L)));
        assertTrue(e.getMessage().contains("int"), e.getMessage());
    }

    @Test
    void whatTheBackendCannotDoIsRefusedAtCompileTime() {
        var odd = program(List.of(input(0, "x", DType.F32, n(3)), temp(1, "y", DType.F32, n(3))),
                store(1, idx(0), load(0, idx(0), vec(DType.F32, 3))));
        assertThrows(UnsupportedOperationException.class, () -> JvmCompiler.compile(odd));
        var huge = program(List.of(temp(0, "y", DType.F32, n(3))), store(0, idx(1L << 33), f32(1)));
        assertThrows(UnsupportedOperationException.class, () -> JvmCompiler.compile(huge));
        var half = program(List.of(temp(0, "y", DType.F16, n(3))));
        assertThrows(UnsupportedOperationException.class, () -> JvmCompiler.compile(half));
    }

    @Test
    void theListingShowsKernelsAndVectorCalls() {
        String listing = JvmCompiler.listing(doubling());
        assertTrue(listing.contains("class dev/modelc/codegen/jvm/Model_test implements dev/modelc/runtime/jvm/CompiledProgram"), listing);
        assertTrue(listing.contains("private k0_k([F[FI)V"), listing);
        assertTrue(listing.contains("INVOKESTATIC jdk/incubator/vector/FloatVector.fromArray"), listing);
        assertTrue(listing.contains("GETSTATIC jdk/incubator/vector/FloatVector.SPECIES_256"), listing);
    }

    /** The bytes are self-contained: an ordinary class loader (as an ahead-of-time jar would use) can load and run them. */
    @Test
    void theClassBytesLoadAsAnOrdinaryClass() throws Exception {
        var p = doubling();
        byte[] bytes = JvmCompiler.compile(p).classBytes();
        var loader = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() { return defineClass("dev.modelc.codegen.jvm.Model_test", bytes, 0, bytes.length); }
        };
        var program = (CompiledProgram) loader.define().getConstructor().newInstance();
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, y = new float[10];
        program.bind(new Object[] {x, y}, new int[] {10});
        program.run();
        for (int i = 0; i < 10; i++) assertEquals(2 * x[i], y[i]);
    }
}
