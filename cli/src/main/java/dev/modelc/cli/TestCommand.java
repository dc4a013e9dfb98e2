package dev.modelc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = {
            "Run golden-output test cases on every available backend.",
            "A case is a .model file plus a folder of the same name holding input .npy files,"
                    + " optional params.safetensors and expected/NAME.npy outputs (tolerances in case.toml).",
            "Ends with 'N passed, M failed'."
        })
final class TestCommand extends PendingCommand {

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Test cases: .model files or folders of them (default: the current folder).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--update",
            description = "Rewrite the expected outputs from the reference interpreter, after showing what changed.")
    boolean update;
}
