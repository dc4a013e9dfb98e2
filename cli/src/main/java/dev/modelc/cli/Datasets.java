package dev.modelc.cli;

import dev.modelc.runtime.data.DatasetLoader;
import dev.modelc.runtime.data.FeatureSpec;
import dev.modelc.runtime.data.Splits;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Loads the dataset named by {@code --data}, with errors as user errors. */
final class Datasets {
    private Datasets() {}

    static Splits load(Path data, List<FeatureSpec> specs, PrintWriter err) {
        if (data == null) {
            throw new UserError("no --data given, and this build has no bundled sample dataset yet;"
                    + " pass a folder of IDX files, a CSV file, or a folder with x.npy and y.npy");
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
}
