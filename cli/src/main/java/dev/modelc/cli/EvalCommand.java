package dev.modelc.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Compute a trained model's loss and metrics on a dataset.")
final class EvalCommand extends PendingCommand {

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @Option(names = "--params", required = true, paramLabel = "P.safetensors",
            description = "The trained parameters.")
    Path params;

    @Option(names = "--data", paramLabel = "DIR|FILE",
            description = {
                "The dataset: a folder of MNIST-style IDX files, a CSV file, or x.npy/y.npy pairs.",
                "Default: the bundled sample dataset."
            })
    Path data;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "jvm",
            description = "Where to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BackendName backend;
}
