package dev.modelc.codegen.jvm;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.loops.LType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.CompiledProgram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is particular to the JVM backend: int-sized storage, what it refuses to compile, the listing, and the class bytes as an ordinary class. */
class JvmProgramTest {
    /** The JVM indexes arrays with ints: a dimension or a buffer beyond them is refused before the run. */
    @Test
    void sizesBeyondIntIndicesAreRefused() {
        var compiled = JvmCompiler.compile(doubling());
        var e = assertThrows(IllegalArgumentException.class, () -> compiled.run(Map.of("x", Tensor.of(new float[3], 3)), Map.of("N", 3_000_000_000L)));
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

    /** Outlined parallel bodies get the outer locals they read as arguments: scalars only, and none of them assigned. */
    @Test
    void aParallelBodyMayNotAssignOuterLocalsOrReadOuterVectors() {
        LType real = scalar(DType.F32);
        var sum = program(List.of(temp(0, "y", DType.F32, n(4))),
                declare("s", real, f32(0)),
                parallel("i", idx(0), idx(4), assign("s", add(v("s", real), f32(1)))),
                store(0, idx(0), v("s", real)));
        var e = assertThrows(IllegalArgumentException.class, () -> JvmCompiler.compile(sum));
        assertTrue(e.getMessage().contains("assigns outer locals [s]"), e.getMessage());
        var v4 = vec(DType.F32, 4);
        var vector = program(List.of(temp(0, "y", DType.F32, n(8))),
                declare("ones", v4, splat(f32(1), 4)),
                parallel("i", idx(0), idx(2), store(0, mul(v("i"), idx(4)), v("ones", v4))));
        assertThrows(UnsupportedOperationException.class, () -> JvmCompiler.compile(vector));
    }
}
