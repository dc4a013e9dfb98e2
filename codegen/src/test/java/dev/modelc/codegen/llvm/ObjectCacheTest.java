package dev.modelc.codegen.llvm;

import static dev.modelc.loops.LoopIr.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.LoopProgram.Buffer;
import dev.modelc.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-process compilations leave their object code on disk, reuse it, and recompile over a damaged entry. */
class ObjectCacheTest {
    @TempDir
    Path dir;

    @AfterEach
    void restore() { System.clearProperty("modelc.cache.dir"); }

    /** y = x * scale: a program unique to this test (by its constant), so no earlier run cached it. */
    private static LoopProgram program(double scale) {
        var n = DimExpr.var("N");
        var buffers = List.of(new Buffer(0, "x", DType.F32, List.of(n), LoopProgram.Kind.INPUT, -1),
                new Buffer(1, "y", DType.F32, List.of(n), LoopProgram.Kind.TEMP, 0));
        var k = new LoopProgram.Kernel("k0", block(loop("i", idx(0), dim("N"), store(1, v("i"), mul(load(0, v("i"), DType.F32), f32(scale))))),
                List.of(0), List.of(1));
        return new LoopProgram("scale", List.of("N"), buffers, List.of(k), Map.of("x", 0), Map.of("y", 1));
    }

    private static float run(LoopProgram p) {
        return LlvmCompiler.compile(p).run(Map.of("x", Tensor.of(new float[] {2}, 1)), Map.of("N", 1L)).get("y").getFloat(0);
    }

    @Test
    void anEntryIsWrittenOnceAndReadBack() throws Exception {
        System.setProperty("modelc.cache.dir", dir.toString());
        double scale = 1 + System.nanoTime() % 1000 / 1000.0;
        assertEquals((float) (2 * (float) scale), run(program(scale)));
        List<Path> entries;
        try (var files = Files.list(dir)) {
            entries = files.toList();
        }
        assertEquals(1, entries.size(), "one object, no temporary files left: " + entries);
        assertTrue(entries.getFirst().getFileName().toString().matches("[0-9a-f]{64}\\.o"), entries.toString());
        byte[] object = Files.readAllBytes(entries.getFirst());
        assertEquals("ELF", new String(object, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));

        // damaged on disk and not in memory any more: found unusable, compiled again and rewritten
        Files.write(entries.getFirst(), new byte[] {1, 2, 3});
        String key = entries.getFirst().getFileName().toString().replace(".o", "");
        ObjectCache.forget(key);
        assertNull(ObjectCache.find(key));
        assertEquals((float) (2 * (float) scale), run(program(scale)));
        assertArrayEquals(object, Files.readAllBytes(entries.getFirst()), "the same IR and target give the same object");
    }

    @Test
    void theKeyDependsOnTheTarget() {
        String ir = "define void @f() { ret void }";
        assertNotEquals(ObjectCache.key(LlvmTarget.named("x86-64-v3"), ir), ObjectCache.key(LlvmTarget.named("generic"), ir));
        assertEquals(ObjectCache.key(LlvmTarget.named("generic"), ir), ObjectCache.key(LlvmTarget.named("generic"), ir));
    }
}
