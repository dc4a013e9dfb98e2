package dev.modelc.cli;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one output entry of a model on inputs from .npy files.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @Option(names = "--entry", required = true, paramLabel = "NAME",
            description = "The entry to run: an 'output' of the model (or its loss or a metric).")
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

    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "Where to run: ${COMPLETION-CANDIDATES} (default: the fastest one available).")
    BackendName backend;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.npy",
            description = "Where to write the entry's result, as a NumPy .npy file.")
    Path output;

    @Override
    public Integer call() throws IOException {
        var model = ModelLoading.compile(file, ModelLoading.backend(backend), spec.commandLine().getErr());
        var declared = model.inputs().stream().map(s -> s.name()).toList();
        var tensors = new LinkedHashMap<String, Tensor>();
        for (var e : inputs.entrySet()) {
            if (!declared.contains(e.getKey())) {
                throw new UserError("model " + model.name() + " has no input '" + e.getKey() + "'; its inputs are: "
                        + String.join(", ", declared));
            }
            tensors.put(e.getKey(), ModelLoading.readNpy(e.getValue(), "input '" + e.getKey() + "'"));
        }
        if (params != null) model.loadParams(params);
        else model.initParams();
        Tensor result = model.run(entry, tensors);
        Npy.write(output, result);
        return 0;
    }
}
