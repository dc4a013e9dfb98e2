package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
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

    @Test
    void aTargetNotBuiltYetIsAUserError() {
        var run = CliRun.of("compile", "m.model", "--target", "llvm-cpu", "--cpu", "x86-64-v3", "-o", "out");
        assertEquals(1, run.exitCode(), run.err());
        assertEquals("modelc: --target llvm-cpu is not available yet in this build; --target jvm is\n", run.err());
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
