package dev.modelc.cli;

import dev.modelc.Frontend;
import dev.modelc.api.DatasetTrainer;
import dev.modelc.runtime.train.ConsoleProgress;
import dev.modelc.runtime.train.TrainingLoop;
import dev.modelc.runtime.train.TrainingOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Train a model: for each batch, compute the loss, its gradient with respect to every"
                    + " param, and apply the optimiser, as one compiled step.",
            "Options left out take their value from the model's train { } block.",
            "The last line on stdout reads: final loss=... <metric>=... samples_per_s=... seconds=..."
        })
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @Option(names = "--data", paramLabel = "DIR|FILE",
            description = {
                "The dataset: a folder of MNIST-style IDX files, a CSV file, or x.npy/y.npy pairs.",
                "Default: the bundled sample dataset."
            })
    Path data;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data.")
    Long epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Samples per training step.")
    Long batch;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate of the model's optimiser.")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for parameter initialisation, shuffling and dropout.")
    Long seed;

    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "Where to train: ${COMPLETION-CANDIDATES} (default: the fastest one available).")
    BackendName backend;

    @Option(names = "--save", paramLabel = "P.safetensors",
            description = "Write the trained parameters here.")
    Path save;

    @Option(names = "--resume", paramLabel = "CKPT",
            description = "Continue from this checkpoint (parameters and optimiser state).")
    Path resume;

    @Override
    public Integer call() {
        if (resume != null) throw new UserError("--resume is not available yet in this build");
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new UserError("--lr must be a positive number, not " + learningRate);
        }
        var err = spec.commandLine().getErr();
        var frontend = learningRate == null ? Frontend.create() : Frontend.create().withHyperparameters(Map.of("lr", learningRate));
        var model = ModelLoading.compile(frontend, file, ModelLoading.backend(backend), err);
        var defaults = model.trainingDefaults().orElseThrow(() -> new UserError(
                "model " + model.name() + " cannot be trained: it needs a loss and a train { } block with an optimizer"));
        var options = new TrainingOptions(
                positive(batch, "--batch", defaults.batch()),
                epochs == null ? defaults.epochs() : nonNegative(epochs),
                seed == null ? defaults.seed() : seed,
                defaults.shuffle());
        var splits = Datasets.load(data, DatasetTrainer.specs(model), err);
        model.initParams(options.seed());
        var trainer = DatasetTrainer.of(model, model.trainer(options.seed()));
        boolean live = System.console() != null && System.console().isTerminal();
        long start = System.nanoTime();
        var reports = TrainingLoop.run(splits, options, trainer, new ConsoleProgress(err, live, options.batch()), 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (save != null) model.saveParams(save);
        long samples = reports.stream().mapToLong(r -> r.samples()).sum();
        var figures = reports.isEmpty()
                ? TrainingLoop.evaluate(splits.test().orElse(splits.train()), options.batch(), trainer)
                : reports.getLast().headline();
        var out = spec.commandLine().getOut();
        out.println(ConsoleProgress.finalLine(figures, samples, seconds));
        out.flush();
        return 0;
    }

    private static long positive(Long given, String option, long fallback) {
        if (given == null) return fallback;
        if (given < 1) throw new UserError(option + " must be at least 1, not " + given);
        return given;
    }

    private static long nonNegative(long n) {
        if (n < 0) throw new UserError("--epochs must not be negative, not " + n);
        return n;
    }
}
