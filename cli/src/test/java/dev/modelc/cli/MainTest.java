package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {

    @Test
    void helpListsEveryCommand() {
        var run = CliRun.of("--help");
        assertEquals(0, run.exitCode(), run.err());
        for (String command : new String[] {"check", "ir", "run", "train", "eval", "compile", "test", "bench"}) {
            assertTrue(run.out().contains("  " + command + " "), () -> command + " missing from:\n" + run.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "ir", "run", "train", "eval", "compile", "test", "bench"})
    void everyCommandHasHelp(String command) {
        var run = CliRun.of(command, "--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Usage: modelc " + command + " "), run.out());
        assertEquals("", run.err());
    }

    @Test
    void versionNamesTheProject() {
        var run = CliRun.of("--version");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("modelc "), run.out());
    }

    @Test
    void unknownOptionIsABadCommandLine() {
        var run = CliRun.of("check", "--frobnicate", "x.model");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("modelc: Unknown option: '--frobnicate'"), run.err());
        assertTrue(run.err().contains("Try 'modelc check --help'."), run.err());
    }

    @Test
    void unknownCommandIsABadCommandLine() {
        assertEquals(2, CliRun.of("frobnicate").exitCode());
        assertEquals(2, CliRun.of().exitCode());
    }

    @Test
    void unknownStageIsABadCommandLineListingTheStages() {
        var run = CliRun.of("ir", "x.model", "--stage", "bogus");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'bogus' is not one of: ast, typed, graph, grad, opt, fused, loops, jvm, llvm, ptx"),
                run.err());
    }

    @Test
    void missingRequiredOptionIsABadCommandLine() {
        assertEquals(2, CliRun.of("ir", "x.model").exitCode());
        assertEquals(2, CliRun.of("run", "x.model", "--entry", "logits").exitCode());
        assertEquals(2, CliRun.of("bench", "x.model", "--entry", "logits", "--train").exitCode());
    }

    @Test
    void anUnknownGpuArchitectureIsAUserError() {
        var run = CliRun.of("ir", "../examples/linear_regression.model", "--stage", "ptx", "--cpu", "sm_12");
        assertEquals(1, run.exitCode());
        assertEquals("modelc: unknown GPU architecture 'sm_12'; modelc writes PTX for sm_70, sm_75, sm_80, sm_86, sm_89, sm_90\n", run.err());
    }

    @Test
    void aBackendThatCannotRunHereIsAUserError() {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.modelc.runtime.cuda.CudaAvailability.probe().available(), "a GPU is present");
        var run = CliRun.of("train", "../examples/mnist_mlp.model", "--epochs", "2", "--lr", "0.01", "--backend", "cuda");
        assertEquals(1, run.exitCode());
        assertEquals("modelc: the cuda backend cannot run here: no NVIDIA driver (libcuda.so.1 not found); use --backend llvm, jvm or interp\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void badEnumValueIsABadCommandLine() {
        var run = CliRun.of("compile", "m.model", "--target", "LLVM_CPU", "-o", "out");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("is not one of: jvm, llvm-cpu, ptx"), run.err());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("wires crossed\nsecond line");
        }
    }

    @Command(name = "oom")
    static final class OutOfMemory implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    private static CommandLine withFailingCommands() {
        return new CommandLine(new Main()).addSubcommand(new Boom()).addSubcommand(new OutOfMemory());
    }

    @Test
    void internalErrorIsOneLineAndExitCode3() {
        var run = CliRun.of(withFailingCommands(), "boom");
        assertEquals(3, run.exitCode());
        assertEquals("modelc: internal error: IllegalStateException: wires crossed\n", run.err());
    }

    @Test
    void internalErrorShowsTheStackTraceWithDebug() {
        var run = CliRun.of(withFailingCommands(), "--debug", "boom");
        assertEquals(3, run.exitCode());
        assertTrue(run.err().startsWith("modelc: internal error: IllegalStateException: wires crossed\n"), run.err());
        assertTrue(run.err().contains("at dev.modelc.cli.MainTest$Boom.call"), run.err());
    }

    @Test
    void debugIsAcceptedAfterTheCommandToo() {
        var run = CliRun.of(withFailingCommands(), "boom", "--debug");
        assertEquals(3, run.exitCode());
        assertTrue(run.err().contains("at dev.modelc.cli.MainTest$Boom.call"), run.err());
    }

    @Test
    void errorsBeyondExceptionsAreInternalErrorsToo() {
        var run = CliRun.of(withFailingCommands(), "oom");
        assertEquals(3, run.exitCode());
        assertEquals("modelc: internal error: OutOfMemoryError: Java heap space\n", run.err());
    }
}
