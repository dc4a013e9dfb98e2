package dev.modelc.cli;

import dev.modelc.Frontend;
import dev.modelc.api.CompiledModel;
import dev.modelc.api.DatasetTrainer;
import dev.modelc.api.TrainStep;
import dev.modelc.runtime.train.Checkpoint;
import dev.modelc.runtime.train.ConsoleProgress;
import dev.modelc.runtime.train.Position;
import dev.modelc.runtime.train.TrainingLoop;
import dev.modelc.runtime.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
            description = "Continue from this checkpoint exactly where it stopped (same batches, same results).")
    Path resume;

    @Option(names = "--checkpoint", paramLabel = "CKPT",
            description = {
                "Where to keep the checkpoint (params, optimiser state, position in the data), written"
                        + " atomically at the end, on Ctrl-C, and after an epoch when 10 s have passed since the last.",
                "Default: NAME.ckpt.safetensors in the working folder, NAME being the model file's."
            })
    Path checkpoint;

    /** Seconds between checkpoints written at the ends of epochs. */
    private static final double CHECKPOINT_EVERY_S = 10;

    @Override
    public Integer call() {
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new UserError("--lr must be a positive number, not " + learningRate);
        }
        var err = spec.commandLine().getErr();
        var frontend = learningRate == null ? Frontend.create() : Frontend.create().withHyperparameters(Map.of("lr", learningRate));
        var model = ModelLoading.compile(frontend, file, ModelLoading.backend(backend), err);
        var defaults = model.trainingDefaults().orElseThrow(() -> new UserError(
                "model " + model.name() + " cannot be trained: it needs a loss and a train { } block with an optimizer"));
        Checkpoint saved = resume == null ? null : readCheckpoint(resume);
        var options = new TrainingOptions(
                positive(batch, "--batch", saved != null ? saved.batch() : defaults.batch()),
                epochs == null ? defaults.epochs() : nonNegative(epochs),
                seed == null ? (saved != null ? saved.seed() : defaults.seed()) : seed,
                defaults.shuffle());
        var splits = Datasets.load(data, DatasetTrainer.specs(model), err);
        var step = start(model, options, saved);
        var trainer = DatasetTrainer.of(model, step);
        Path ckpt = checkpoint != null ? checkpoint : Path.of(file.getFileName().toString().replaceFirst("\\.model$", "") + ".ckpt.safetensors");

        var stop = new AtomicBoolean();
        var finished = new CountDownLatch(1);
        var onInterrupt = new Thread(() -> {
            stop.set(true); // the loop stops after its current step and saves a checkpoint
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "modelc-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            boolean live = System.console() != null && System.console().isTerminal();
            long start = System.nanoTime();
            var lastSave = new long[] {start};
            var outcome = TrainingLoop.run(splits, options, trainer, new ConsoleProgress(err, live, options.batch()),
                    saved == null ? Position.START : saved.position(), stop::get, at -> {
                        if ((System.nanoTime() - lastSave[0]) / 1e9 >= CHECKPOINT_EVERY_S) {
                            save(ckpt, model, options, step, at);
                            lastSave[0] = System.nanoTime();
                        }
                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            save(ckpt, model, options, step, outcome.position());
            if (outcome.stopped()) {
                err.println("interrupted: checkpoint saved to " + ckpt + "; continue with --resume " + ckpt);
                err.flush();
                return 130;
            }
            if (save != null) model.saveParams(save);
            long samples = outcome.reports().stream().mapToLong(r -> r.samples()).sum();
            var figures = outcome.reports().isEmpty()
                    ? TrainingLoop.evaluate(splits.test().orElse(splits.train()), options.batch(), trainer)
                    : outcome.reports().getLast().headline();
            var out = spec.commandLine().getOut();
            out.println(ConsoleProgress.finalLine(figures, samples, seconds));
            out.flush();
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waited for us
            }
        }
    }

    /** Fresh params from the seed, or the checkpoint's params and optimiser state after checking it belongs to this run. */
    private TrainStep start(CompiledModel model, TrainingOptions options, Checkpoint saved) {
        if (saved == null) {
            model.initParams(options.seed());
            return model.trainer(options.seed());
        }
        if (!saved.model().equals(model.name())) {
            throw new UserError(resume + " is a checkpoint of model " + saved.model() + ", not " + model.name());
        }
        if (saved.seed() != options.seed() || saved.batch() != options.batch()) {
            throw new UserError(resume + " was trained with --seed " + saved.seed() + " --batch " + saved.batch()
                    + "; resuming with --seed " + options.seed() + " --batch " + options.batch()
                    + " would not continue the same run");
        }
        saved.params().forEach(model::setParam);
        var step = model.trainer(options.seed());
        step.restore(saved.state(), saved.steps());
        return step;
    }

    private Checkpoint readCheckpoint(Path path) {
        try {
            return Checkpoint.read(path);
        } catch (NoSuchFileException e) {
            throw new UserError("--resume: no such file " + path);
        } catch (IOException e) {
            throw new UserError("--resume: " + e.getMessage());
        }
    }

    private static void save(Path file, CompiledModel model, TrainingOptions options, TrainStep step, Position at) {
        try {
            new Checkpoint(model.name(), options.seed(), options.batch(), step.steps(), at, model.paramValues(), step.state()).write(file);
        } catch (IOException e) {
            throw new UserError("cannot write the checkpoint " + file + ": " + e.getMessage());
        }
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
