package dev.modelc.codegen.llvm;

import static dev.modelc.codegen.testing.Programs.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the LLVM backend cannot do yet is refused at compile time, as on the JVM backend. */
class LlvmRefusalsTest {
    @Test
    void storageOnlyTypesAreRefusedEvenWhenNoKernelTouchesThem() {
        for (DType t : List.of(DType.F16, DType.BF16)) {
            var half = program(List.of(temp(0, "y", t, n(3))));
            var e = assertThrows(UnsupportedOperationException.class, () -> LlvmCompiler.compile(half));
            assertTrue(e.getMessage().contains(t.toString()), e.getMessage());
        }
    }
}
