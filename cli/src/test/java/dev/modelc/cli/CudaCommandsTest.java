package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.cuda.GpuArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cuda backend's commands: PTX out of {@code ir} and {@code compile}, and training on the simulated GPU where there is no real one. */
class CudaCommandsTest {
    @TempDir
    Path dir;

    @Test
    void compileTargetPtxWritesAFolderTheRuntimeLoads() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.modelc.codegen.llvm.PtxCompiler.libdevice().isPresent(),
                "no libdevice (CUDA toolkit) on this machine: mnist_mlp's PTX calls exp and log");
        var run = CliRun.of("compile", "../examples/mnist_mlp.model", "--target", "ptx", "--cpu", "sm_90", "-o", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("wrote " + dir + ": model MnistMlp for sm_90"), run.out());
        var artifact = GpuArtifact.read(dir);
        assertEquals("MnistMlp", artifact.manifest().model());
        assertTrue(artifact.plans().containsKey("train_step"), artifact.plans().keySet().toString());
        assertTrue(artifact.plans().containsKey("logits"), artifact.plans().keySet().toString());
        assertTrue(artifact.ptx().contains(".target sm_90"), "the PTX is for sm_90");
        for (var plan : artifact.plans().values()) {
            for (var launch : plan.launches()) assertTrue(artifact.ptx().contains(".entry " + launch.function() + "("), launch.function());
        }
        assertEquals(8, artifact.manifest().params().size(), "w1..w4 and b1..b4");
        assertTrue(Files.exists(dir.resolve("MnistMlp.train_step.plan")));
    }

    @Test
    void anUnknownArchitectureIsAUserError() {
        var run = CliRun.of("compile", "../examples/xor.model", "--target", "ptx", "--cpu", "sm_61", "-o", dir.toString());
        assertEquals(1, run.exitCode());
        assertEquals("modelc: the cuda backend cannot compile model Xor: unknown GPU architecture 'sm_61'; modelc writes PTX for sm_70, sm_75, sm_80, sm_86, sm_89, sm_90\n",
                run.err());
    }

    @Test
    void irStagePtxPrintsTheKernelsAndTheirLaunches() {
        var run = CliRun.of("ir", "../examples/mnist_mlp.model", "--stage", "ptx", "--entry", "logits");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("; ---- logits: launches ----"), run.out());
        assertTrue(run.out().contains(".target sm_80"), "sm_80 by default");
        assertTrue(run.out().contains(".visible .entry modelc_logits_k0_matmul("), run.out());
        assertTrue(run.out().contains("; modelc_logits_k0_matmul blocks"), "the matmul is a launch of blocks");
    }

    @Test
    void trainingOnTheSimulatedGpuLearnsWhatTheCpuLearns() {
        String before = System.setProperty("modelc.cuda.simulate", "true");
        try {
            // 50 of xor's 1000 steps: the simulated GPU runs each block's 256 threads as real threads
            var cuda = CliRun.of("train", "../examples/xor.model", "--data", "../examples/data/xor.csv", "--epochs", "50", "--backend", "cuda", "--checkpoint",
                    dir.resolve("c1").toString());
            assertEquals(0, cuda.exitCode(), cuda.err());
            var jvm = CliRun.of("train", "../examples/xor.model", "--data", "../examples/data/xor.csv", "--epochs", "50", "--backend", "jvm", "--checkpoint",
                    dir.resolve("c2").toString());
            assertEquals(0, jvm.exitCode(), jvm.err());
            // the GPU's kernels are scalar, the CPUs' vectorised: sums round in another order
            assertEquals(finalLoss(jvm.out()), finalLoss(cuda.out()), 1e-3, cuda.out());
        } finally {
            if (before == null) System.clearProperty("modelc.cuda.simulate");
            else System.setProperty("modelc.cuda.simulate", before);
        }
    }

    private static double finalLoss(String out) {
        var m = Pattern.compile("(?m)^final loss=([0-9.eE+-]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }
}
