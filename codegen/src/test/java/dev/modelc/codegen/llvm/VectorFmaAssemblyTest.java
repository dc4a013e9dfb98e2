package dev.modelc.codegen.llvm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelc.codegen.testing.MatmulTile;
import dev.modelc.loops.Stmt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The register-tiled f32 matmul ({@link MatmulTile}: eight {@code <8 x f32>} fma accumulators)
 * becomes 256-bit vector FMA instructions, {@code vfmadd...ps} on ymm registers, when the target
 * has AVX2 and FMA: for this machine's CPU, and for the x86-64-v3 baseline that shipped objects use.
 */
class VectorFmaAssemblyTest {
    /** An FMA on packed singles with a ymm operand, in AT&T syntax: {@code vfmadd231ps (%rax), %ymm1, %ymm0}. */
    private static final Pattern VECTOR_FMA = Pattern.compile("\\bvfmadd\\d*ps\\b[^\\n]*%ymm\\d+");

    @Test
    void theHostsCodeUsesVectorFmas() {
        Set<String> flags = hostCpuFlags();
        assumeTrue(flags.contains("avx2") && flags.contains("fma"),
                "this host's CPU lacks avx2 or fma (by the flags in /proc/cpuinfo), so its code has no vector FMAs");
        assertVectorFmas(LlvmCompiler.assembly(MatmulTile.program(Stmt.Schedule.SERIAL), LlvmTarget.host()));
    }

    /** Assembly for another CPU is a cross-compilation: it needs an x86-64 triple, not the instructions. */
    @Test
    void theShippedBaselineUsesVectorFmas() {
        assumeTrue(Set.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
                "x86-64-v3 is a CPU of an x86-64 triple, and this machine is " + System.getProperty("os.arch"));
        assertVectorFmas(LlvmCompiler.assembly(MatmulTile.program(Stmt.Schedule.SERIAL), LlvmTarget.named(LlvmTarget.SHIPPED_CPU)));
    }

    /** At least one vector FMA per accumulator of the tile's inner loop. */
    private static void assertVectorFmas(String assembly) {
        long count = VECTOR_FMA.matcher(assembly).results().count();
        assertTrue(count >= 8, "expected at least 8 vfmadd...ps on ymm registers, found " + count + ":\n" + assembly);
    }

    /** The first "flags" line of /proc/cpuinfo, as a set; empty where there is none (not Linux, not x86). */
    private static Set<String> hostCpuFlags() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet()))
                    .orElse(Set.of());
        } catch (IOException e) {
            return Set.of();
        }
    }
}
