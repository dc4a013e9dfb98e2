package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import dev.modelc.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}, {@code train} and {@code eval} end to end on the interpreter, and their user errors. */
class RunAndTrainCommandsTest {
    private static final String LINEAR = "../examples/linear_regression.model";
    private static final String LINEAR_DATA = "../examples/data/linear_regression.csv";

    @TempDir
    static Path dir;

    static Path x;

    @BeforeAll
    static void writeInputs() throws IOException {
        x = dir.resolve("x.npy");
        Npy.write(x, Tensor.of(new float[] {0, 1, 2}, 3, 1));
    }

    @Test
    void linearRegressionTrainsSavesAndRuns() throws IOException {
        var params = dir.resolve("linear.safetensors");
        var train = CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--backend", "interp", "--save", params.toString(), "--checkpoint", ckpt("a"));
        assertEquals(0, train.exitCode(), train.err());
        var last = train.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.matches("final loss=[0-9.]+ mean_abs_error=[0-9.]+ samples_per_s=[0-9]+ seconds=[0-9.]+"), last);
        double loss = Double.parseDouble(last.split(" ")[1].substring("loss=".length()));
        assertTrue(loss < 0.02, "the data is y = 3x + 2 + noise(std 0.1): " + last);
        assertTrue(train.err().contains("epoch 50/50"), train.err());

        var w = SafeTensors.read(params);
        assertEquals(3.0, w.get("w").getFloat(0, 0), 0.05);
        assertEquals(2.0, w.get("b").getFloat(0), 0.05);

        var out = dir.resolve("pred.npy");
        var run = CliRun.of("run", LINEAR, "--entry", "pred", "--input", "x=" + x, "--params", params.toString(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        var pred = Npy.read(out).toFloatArray();
        assertArrayEquals(new float[] {2, 5, 8}, pred, 0.1f);

        var eval = CliRun.of("eval", LINEAR, "--params", params.toString(), "--data", LINEAR_DATA);
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().startsWith("final loss="), eval.out());
    }

    @Test
    void llvmTrainsAndRunsAsTheJvmBackendDoes() throws IOException {
        var outs = new java.util.ArrayList<Tensor>();
        var finals = new java.util.ArrayList<String>();
        for (String backend : new String[] {"jvm", "llvm"}) {
            var params = dir.resolve("linear-" + backend + ".safetensors");
            var train = CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--epochs", "3", "--backend", backend, "--save", params.toString(),
                    "--checkpoint", ckpt("native-" + backend));
            assertEquals(0, train.exitCode(), train.err());
            var last = train.out().strip().lines().reduce((a, b) -> b).orElseThrow();
            finals.add(last.substring(0, last.indexOf(" samples_per_s")));
            var out = dir.resolve("pred-" + backend + ".npy");
            var run = CliRun.of("run", LINEAR, "--entry", "pred", "--input", "x=" + x, "--params", params.toString(), "-o", out.toString(),
                    "--backend", backend);
            assertEquals(0, run.exitCode(), run.err());
            outs.add(Npy.read(out));
        }
        assertEquals(finals.get(0), finals.get(1), "the same training, bit for bit: the loss and metrics print alike");
        assertEquals(outs.get(0), outs.get(1));
    }

    @Test
    void overridesComeFromTheCommandLine() {
        var train = CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--epochs", "2", "--batch", "64", "--lr", "0.05", "--seed", "3", "--checkpoint", ckpt("b"));
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.err().contains("epoch 2/2"), train.err());
        assertFalse(train.err().contains("epoch 3/"), train.err());
    }

    @Test
    void runWithoutParamsInitialisesFromTheSeedDeterministically() throws IOException {
        var a = dir.resolve("a.npy");
        var b = dir.resolve("b.npy");
        assertEquals(0, CliRun.of("run", LINEAR, "--entry", "pred", "--input", "x=" + x, "-o", a.toString()).exitCode());
        assertEquals(0, CliRun.of("run", LINEAR, "--entry", "pred", "--input", "x=" + x, "-o", b.toString()).exitCode());
        assertEquals(Npy.read(a), Npy.read(b));
    }

    @Test
    void mistakesAreUserErrorsThatSayWhatWasExpected() throws IOException {
        var out = dir.resolve("out.npy").toString();
        var wrongShape = dir.resolve("wrong.npy");
        Npy.write(wrongShape, Tensor.of(new float[] {1, 2}, 1, 2));
        var shape = CliRun.of("run", LINEAR, "--entry", "pred", "--input", "x=" + wrongShape, "-o", out);
        assertEquals(1, shape.exitCode());
        assertTrue(shape.err().contains("f32[B, 1]"), shape.err());

        var missing = CliRun.of("run", LINEAR, "--entry", "loss", "--input", "x=" + x, "-o", out);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("'y'"), missing.err());

        var unknown = CliRun.of("run", LINEAR, "--entry", "pred", "--input", "z=" + x, "-o", out);
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("model LinearRegression has no input 'z'; its inputs are: x, y"), unknown.err());

        var entry = CliRun.of("run", LINEAR, "--entry", "prediction", "--input", "x=" + x, "-o", out);
        assertEquals(1, entry.exitCode());
        assertTrue(entry.err().contains("has no entry 'prediction'"), entry.err());

        var noFile = CliRun.of("run", LINEAR, "--entry", "pred", "--input", "x=" + dir.resolve("nope.npy"), "-o", out);
        assertEquals(1, noFile.exitCode());
        assertTrue(noFile.err().contains("nope.npy"), noFile.err());

        var noData = CliRun.of("train", LINEAR, "--data", dir.resolve("missing.csv").toString(), "--checkpoint", ckpt("c"));
        assertEquals(1, noData.exitCode());
        assertTrue(noData.err().contains("missing.csv"), noData.err());

        if (!dev.modelc.api.Backend.CUDA.available()) {
            var cuda = CliRun.of("run", LINEAR, "--entry", "pred", "--input", "x=" + x, "-o", out, "--backend", "cuda");
            assertEquals(1, cuda.exitCode());
            assertTrue(cuda.err().contains("the cuda backend cannot run here"), cuda.err());
        }

        var badLr = CliRun.of("train", "../examples/xor.model", "--data", "../examples/data/xor.csv", "--lr", "-1", "--checkpoint", ckpt("d"));
        assertEquals(1, badLr.exitCode());
        assertFalse(badLr.err().contains("Exception"), badLr.err());
    }

    @Test
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne() throws IOException {
        var whole = dir.resolve("whole.safetensors");
        var halves = dir.resolve("halves.safetensors");
        var ckpt = ckpt("resume");
        assertEquals(0, CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--epochs", "4", "--save", whole.toString(), "--checkpoint", ckpt("e")).exitCode());
        var first = CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--epochs", "2", "--checkpoint", ckpt);
        assertEquals(0, first.exitCode(), first.err());
        var second = CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--epochs", "4", "--resume", ckpt, "--save", halves.toString(), "--checkpoint", ckpt);
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.err().startsWith("epoch 3/4"), second.err());
        assertEquals(SafeTensors.read(whole), SafeTensors.read(halves));

        var otherSeed = CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--epochs", "5", "--resume", ckpt, "--seed", "9", "--checkpoint", ckpt("f"));
        assertEquals(1, otherSeed.exitCode());
        assertTrue(otherSeed.err().contains("would not continue the same run"), otherSeed.err());
        var notACheckpoint = CliRun.of("train", LINEAR, "--data", LINEAR_DATA, "--resume", whole.toString(), "--checkpoint", ckpt("g"));
        assertEquals(1, notACheckpoint.exitCode());
        assertTrue(notACheckpoint.err().contains("not a modelc training checkpoint"), notACheckpoint.err());
    }

    @Test
    void benchTimesAnEntryAndEndsWithItsFigures() {
        var bench = CliRun.of("bench", LINEAR, "--entry", "pred", "--batch", "16", "--seconds", "0.2");
        assertEquals(0, bench.exitCode(), bench.err());
        var last = bench.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.matches("median_ms=[0-9.]+ min_ms=[0-9.]+ max_ms=[0-9.]+ runs=[0-9]+"), last);
        var train = CliRun.of("bench", LINEAR, "--train", "--seconds", "0.2");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("training step at batch 32"), train.out());
    }

    private static String ckpt(String name) { return dir.resolve(name + ".ckpt.safetensors").toString(); }

    @Test
    void compileErrorsPrintTheirDiagnosticsOnce() throws IOException {
        var bad = Files.writeString(dir.resolve("bad.model"), "model M {\n  input x: f32[B, 2]\n  output y = x @ x\n}\n");
        var run = CliRun.of("run", bad.toString(), "--entry", "y", "-o", dir.resolve("y.npy").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("bad.model:3:"), run.err());
        assertEquals(run.err().indexOf("bad.model:3:"), run.err().lastIndexOf("bad.model:3:"), run.err());
        assertFalse(run.err().contains("reported above"), run.err());
    }
}
