package dev.modelc.cli;

import dev.modelc.api.DatasetTrainer;
import dev.modelc.runtime.train.ConsoleProgress;
import dev.modelc.runtime.train.TrainingLoop;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Compute a trained model's loss and metrics on a dataset: its test split when it has one,"
                    + " else its training samples.",
            "The last line on stdout reads: final loss=... <metric>=... samples_per_s=... seconds=..."
        })
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

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

    @Option(names = "--batch", paramLabel = "N", description = "Samples per evaluation step (default: the train block's batch).")
    Integer batch;

    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "Where to run: ${COMPLETION-CANDIDATES} (default: the fastest one available).")
    BackendName backend;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var model = ModelLoading.compile(file, ModelLoading.backend(backend), err);
        model.loadParams(params);
        var splits = Datasets.load(data, DatasetTrainer.specs(model), err);
        var samples = splits.test().orElse(splits.train());
        long size = batch != null ? batch : model.trainingDefaults().map(d -> d.batch()).orElse(128L);
        if (size < 1) throw new UserError("--batch must be at least 1");
        long start = System.nanoTime();
        var figures = TrainingLoop.evaluate(samples, size, DatasetTrainer.evaluating(model));
        double seconds = (System.nanoTime() - start) / 1e9;
        var out = spec.commandLine().getOut();
        out.println(ConsoleProgress.finalLine(figures, samples.size(), seconds));
        out.flush();
        return 0;
    }
}
