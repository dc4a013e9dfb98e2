package dev.modelc.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Time an output entry or a training step.",
            "Ends with a line: median_ms=... min_ms=... max_ms=... runs=..."
        })
final class BenchCommand extends PendingCommand {

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @ArgGroup(exclusive = true)
    Subject subject;

    static final class Subject {
        @Option(names = "--entry", paramLabel = "NAME", description = "Time this output entry.")
        String entry;

        @Option(names = "--train", description = "Time one training step.")
        boolean train;
    }

    @Option(names = "--batch", paramLabel = "N", description = "Batch size of the timed inputs.")
    Integer batch;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "jvm",
            description = "Where to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BackendName backend;
}
