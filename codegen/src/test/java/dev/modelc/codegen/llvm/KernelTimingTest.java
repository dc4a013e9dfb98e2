package dev.modelc.codegen.llvm;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.codegen.testing.Programs;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.jvm.KernelProfile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A profiled native entry times each of its kernels into the same tables as the JVM backend. */
class KernelTimingTest {
    @Test
    void everyKernelCallIsTimed() {
        var p = Programs.doubling();
        var program = LlvmCompiler.compile(p, LlvmTarget.host(), true);
        var inputs = Map.of("x", Tensor.of(new float[] {1, 2, 3}, 3));
        for (int i = 0; i < 5; i++) program.run(inputs, Map.of("N", 3L));
        var out = new ByteArrayOutputStream();
        KernelProfile.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains(p.entry() + " (llvm)"), table);
        for (var k : p.kernels()) assertTrue(table.matches("(?s).*" + k.name() + "\\s+5\\s.*"), "5 calls of " + k.name() + " in\n" + table);
    }
}
