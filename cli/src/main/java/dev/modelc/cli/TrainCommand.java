package dev.modelc.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Train a model: for each batch, compute the loss, its gradient with respect to every"
                    + " param, and apply the optimiser, as one compiled step.",
            "Options left out take their value from the model's train { } block.",
            "The last line on stdout reads: final loss=... <metric>=... samples_per_s=... seconds=..."
        })
final class TrainCommand extends PendingCommand {

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @Option(names = "--data", paramLabel = "DIR|FILE",
            description = {
                "The dataset: a folder of MNIST-style IDX files, a CSV file, or x.npy/y.npy pairs.",
                "Default: the bundled sample dataset."
            })
    Path data;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data.")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Samples per training step.")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate of the model's optimiser.")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for parameter initialisation, shuffling and dropout.")
    Long seed;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "jvm",
            description = "Where to train: jvm, llvm or cuda (default: ${DEFAULT-VALUE}).")
    BackendName backend;

    @Option(names = "--save", paramLabel = "P.safetensors",
            description = "Write the trained parameters here.")
    Path save;

    @Option(names = "--resume", paramLabel = "CKPT",
            description = "Continue from this checkpoint (parameters and optimiser state).")
    Path resume;
}
