package dev.modelc.cli;

import dev.modelc.runtime.data.DatasetLoader;
import dev.modelc.runtime.data.FeatureSpec;
import dev.modelc.runtime.data.Splits;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loads the dataset named by {@code --data}, with errors as user errors. */
final class Datasets {
    private Datasets() {}

    /** Where the bundled sample dataset lives, below the modelc home (set by the launcher) or the working folder. */
    static final Path SAMPLE = Path.of("data", "fashion-mnist-sample");

    static Splits load(Path data, List<FeatureSpec> specs, PrintWriter err) {
        if (data == null) {
            var sample = sample().orElseThrow(() -> new UserError("no --data given, and the bundled sample dataset ("
                    + SAMPLE + ") is not here; pass a folder of IDX files, a CSV file, or a folder with x.npy and y.npy"));
            try {
                return DatasetLoader.load(sample, specs.get(0), specs.get(1));
            } catch (IOException | IllegalArgumentException e) {
                throw new UserError("no --data given, and the bundled sample dataset (Fashion-MNIST: 28x28 images,"
                        + " labels 0-9) does not fit this model: " + e.getMessage());
            }
        }
        try {
            return DatasetLoader.load(data, specs.get(0), specs.get(1));
        } catch (NoSuchFileException e) {
            throw new UserError("--data: no such file or folder " + data);
        } catch (TensorFormatException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("--data: cannot read " + data + ": " + e.getMessage());
        }
    }

    /** The sample dataset: under {@code -Dmodelc.home}, else the first of the working folder and its parents that has it. */
    static Optional<Path> sample() {
        String home = System.getProperty("modelc.home");
        if (home != null) return Optional.of(Path.of(home).resolve(SAMPLE)).filter(Files::isDirectory);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(SAMPLE))) return Optional.of(p.resolve(SAMPLE));
        }
        return Optional.empty();
    }
}
