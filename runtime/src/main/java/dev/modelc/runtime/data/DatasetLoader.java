package dev.modelc.runtime.data;

import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads the dataset that {@code train} and {@code eval} run on. The features feed the model's
 * first input and the labels its second; each is converted to the input's element type and
 * reshaped in C order to its per-sample shape when the number of values per sample agrees
 * (otherwise an error names the file, what the input takes and what the file holds).
 *
 * <p>{@code path} is one of:
 *
 * <ul>
 *   <li><b>a directory of MNIST-style IDX files</b>: {@code train-images-idx3-ubyte} and
 *       {@code train-labels-idx1-ubyte}, and for a test split {@code t10k-images-idx3-ubyte} and
 *       {@code t10k-labels-idx1-ubyte}, each also accepted with {@code .gz} (the plain file wins
 *       when both exist, as after {@code gunzip -k}). Pixels are scaled to [0, 1] for a float
 *       input; labels, and pixels for an integer input, keep their values. See {@link Idx}.
 *   <li><b>a directory of {@code .npy} arrays</b>: {@code x.npy} and {@code y.npy}, and for a
 *       test split {@code x_test.npy} and {@code y_test.npy} (Keras's names for
 *       {@code (x_test, y_test)}). Each holds {@code [N, ...]}; the conversions are those of
 *       {@link Conform}: float64 may feed float32, but floats never feed integers.
 *   <li><b>a directory holding {@code train.csv}</b>, and for a test split {@code test.csv}, in
 *       the format of {@link Csv}.
 *   <li><b>a CSV file</b>: training samples only.
 * </ul>
 *
 * A directory must hold one of the three kinds, not several. A test split is optional, but its
 * files must all be present or all absent, and every split must hold at least one sample.
 */
public final class DatasetLoader {
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private DatasetLoader() {}

    public static Splits load(Path path, FeatureSpec features, FeatureSpec labels) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        Splits splits = Files.isDirectory(path) ? directory(path, features, labels) : file(path, features, labels);
        requireSamples(splits.train(), path, "training");
        if (splits.test().isPresent()) {
            requireSamples(splits.test().get(), path, "test");
        }
        return splits;
    }

    private static Splits file(Path path, FeatureSpec features, FeatureSpec labels) throws IOException {
        String name = path.getFileName().toString();
        if (name.endsWith(".npy")) {
            throw new TensorFormatException(path.toString(), "a .npy dataset is a directory holding x.npy and y.npy "
                    + "(and optionally x_test.npy and y_test.npy); pass that directory");
        }
        if (name.matches(".*-idx\\d-ubyte(\\.gz)?")) {
            throw new TensorFormatException(path.toString(), "an IDX dataset is the directory holding its files; "
                    + "pass that directory");
        }
        return new Splits(Csv.read(path, features, labels), Optional.empty());
    }

    private static Splits directory(Path dir, FeatureSpec features, FeatureSpec labels) throws IOException {
        List<String> kinds = new ArrayList<>();
        if (idxFile(dir, TRAIN_IMAGES).isPresent()) {
            kinds.add("IDX files");
        }
        if (Files.exists(dir.resolve("x.npy"))) {
            kinds.add("x.npy");
        }
        if (Files.exists(dir.resolve("train.csv"))) {
            kinds.add("train.csv");
        }
        if (kinds.size() > 1) {
            throw new TensorFormatException(dir.toString(), "holds more than one dataset (" + String.join(", ", kinds)
                    + "); keep one per directory");
        }
        if (kinds.isEmpty()) {
            throw new TensorFormatException(dir.toString(), "holds no dataset: expected MNIST-style IDX files ("
                    + TRAIN_IMAGES + "[.gz] and " + TRAIN_LABELS + "[.gz]), x.npy and y.npy, or train.csv");
        }
        return switch (kinds.getFirst()) {
            case "IDX files" -> new Splits(idx(dir, TRAIN_IMAGES, TRAIN_LABELS, features, labels).orElseThrow(),
                    idx(dir, TEST_IMAGES, TEST_LABELS, features, labels));
            case "x.npy" -> new Splits(npy(dir, "x.npy", "y.npy", features, labels).orElseThrow(),
                    npy(dir, "x_test.npy", "y_test.npy", features, labels));
            default -> new Splits(Csv.read(dir.resolve("train.csv"), features, labels),
                    Files.exists(dir.resolve("test.csv"))
                            ? Optional.of(Csv.read(dir.resolve("test.csv"), features, labels))
                            : Optional.empty());
        };
    }

    /** An IDX split, or empty when neither of its files exists. */
    private static Optional<Dataset> idx(Path dir, String images, String labels, FeatureSpec x, FeatureSpec y)
            throws IOException {
        Optional<Path> imagesFile = idxFile(dir, images);
        Optional<Path> labelsFile = idxFile(dir, labels);
        if (!bothOrNeither(dir, images + "[.gz]", imagesFile.isPresent(), labels + "[.gz]", labelsFile.isPresent())) {
            return Optional.empty();
        }
        Idx.Array xs = Idx.read(imagesFile.get());
        Idx.Array ys = Idx.read(labelsFile.get());
        String xSource = imagesFile.get().toString();
        String ySource = labelsFile.get().toString();
        checkSameCount(xs.samples(), xSource, ys.samples(), ySource);
        return Optional.of(new Dataset(xs.toTensor(x, true, xSource), ys.toTensor(y, false, ySource)));
    }

    private static Optional<Path> idxFile(Path dir, String name) {
        Path plain = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        return Files.exists(plain) ? Optional.of(plain) : Files.exists(gz) ? Optional.of(gz) : Optional.empty();
    }

    /** A .npy split, or empty when neither of its files exists. */
    private static Optional<Dataset> npy(Path dir, String xName, String yName, FeatureSpec x, FeatureSpec y)
            throws IOException {
        Path xFile = dir.resolve(xName);
        Path yFile = dir.resolve(yName);
        if (!bothOrNeither(dir, xName, Files.exists(xFile), yName, Files.exists(yFile))) {
            return Optional.empty();
        }
        Tensor xs = Conform.toSpec(Npy.read(xFile), x, xFile.toString());
        Tensor ys = Conform.toSpec(Npy.read(yFile), y, yFile.toString());
        checkSameCount(xs.dim(0), xFile.toString(), ys.dim(0), yFile.toString());
        return Optional.of(new Dataset(xs, ys));
    }

    /** True when both files of a pair exist, false when neither does; one alone is an error. */
    private static boolean bothOrNeither(Path dir, String a, boolean hasA, String b, boolean hasB)
            throws TensorFormatException {
        if (hasA != hasB) {
            throw new TensorFormatException(dir.toString(), "holds " + (hasA ? a : b) + " but not " + (hasA ? b : a)
                    + "; the two come as a pair");
        }
        return hasA;
    }

    private static void checkSameCount(long xCount, String xSource, long yCount, String ySource)
            throws TensorFormatException {
        if (xCount != yCount) {
            throw new TensorFormatException(ySource, "holds " + yCount + " labels, but " + xSource + " holds "
                    + xCount + " samples");
        }
    }

    private static void requireSamples(Dataset data, Path path, String split) throws TensorFormatException {
        if (data.size() == 0) {
            throw new TensorFormatException(path.toString(), "the " + split + " split holds no samples");
        }
    }
}
