package dev.modelc.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one output entry of a model on inputs from .npy files.")
final class RunCommand extends PendingCommand {

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @Option(names = "--entry", required = true, paramLabel = "NAME",
            description = "The output entry to run (an 'output' of the model).")
    String entry;

    @Option(names = "--input", paramLabel = "NAME=PATH.npy",
            description = {
                "An input of the model, read from a NumPy .npy file; repeat for each input.",
                "Inputs that the entry does not depend on are accepted and ignored."
            })
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--params", paramLabel = "P.safetensors",
            description = "The parameters to use; without it they are initialised from the model's seed.")
    Path params;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "jvm",
            description = "Where to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BackendName backend;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.npy",
            description = "Where to write the entry's result, as a NumPy .npy file.")
    Path output;
}
