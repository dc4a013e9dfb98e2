package dev.modelc.runtime.data;

import static dev.modelc.runtime.data.DataFiles.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** x.npy/y.npy directories, and how the loader tells the dataset kinds apart. */
class NpyDatasetTest {
    private static final FeatureSpec FOUR = new FeatureSpec("x", DType.F32, 4);
    private static final FeatureSpec CLASS = new FeatureSpec("y", DType.I32);

    @TempDir
    Path dir;

    private void save(String name, Tensor t) throws Exception {
        Npy.write(dir.resolve(name), t);
    }

    @Test
    void castsAndReshapesToTheInputsAndFindsTheTestSplit() throws Exception {
        save("x.npy", Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2));
        save("y.npy", Tensor.of(new long[] {3, -1}, 2));
        Splits splits = DatasetLoader.load(dir, FOUR, CLASS);
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4), splits.train().features());
        assertEquals(Tensor.of(new int[] {3, -1}, 2), splits.train().labels());
        assertTrue(splits.test().isEmpty());

        save("x_test.npy", Tensor.of(new float[] {9, 9, 9, 9}, 1, 4));
        save("y_test.npy", Tensor.of(new boolean[] {true}, 1));
        Dataset test = DatasetLoader.load(dir, FOUR, new FeatureSpec("y", DType.F64, 1)).test().orElseThrow();
        assertEquals(Tensor.of(new float[] {9, 9, 9, 9}, 1, 4), test.features());
        assertEquals(Tensor.of(new double[] {1}, 1, 1), test.labels());
    }

    @Test
    void sameDtypeAndShapeArePassedThrough() throws Exception {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        save("x.npy", x);
        save("y.npy", Tensor.of(new int[] {0}, 1));
        assertEquals(x, DatasetLoader.load(dir, FOUR, CLASS).train().features());
    }

    @Test
    void refusesLossyCastsAndMismatchedArrays() throws Exception {
        save("x.npy", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4));
        save("y.npy", Tensor.of(new float[] {0, 1}, 2));
        Path y = dir.resolve("y.npy");
        assertFormatError(y + ": holds float32 values, which cannot feed input 'y' (int32, ()); save the array as "
                + "int32 (numpy: a.astype('int32'))", () -> DatasetLoader.load(dir, FOUR, CLASS));
        save("y.npy", Tensor.of(new long[] {1, 3_000_000_000L}, 2));
        assertFormatError(y + ": element 1: 3000000000 is out of range for int32 (for input 'y' (int32, ()))",
                () -> DatasetLoader.load(dir, FOUR, CLASS));
        save("y.npy", Tensor.of(new int[] {1, 0, 1}, 3));
        assertFormatError(y + ": holds 3 labels, but " + dir.resolve("x.npy") + " holds 2 samples",
                () -> DatasetLoader.load(dir, FOUR, CLASS));
        save("y.npy", Tensor.scalar(1));
        assertFormatError(y + ": holds a scalar; its first axis must count the samples", () -> DatasetLoader.load(dir, FOUR, CLASS));
        save("y.npy", Tensor.of(new int[] {1, 0}, 2));
        assertFormatError(dir.resolve("x.npy") + ": each sample is (4,) = 4 values, but input 'x' (float32, (2, 3)) takes 6 per sample",
                () -> DatasetLoader.load(dir, new FeatureSpec("x", DType.F32, 2, 3), CLASS));
        assertFormatError(dir.resolve("x.npy") + ": holds float32 values, which cannot feed input 'x' (bool, (4,)); save the array "
                + "as bool (numpy: a.astype('bool'))", () -> DatasetLoader.load(dir, new FeatureSpec("x", DType.BOOL, 4), CLASS));
        save("y_test.npy", Tensor.of(new int[] {1}, 1));
        assertFormatError(dir + ": holds y_test.npy but not x_test.npy; the two come as a pair", () -> DatasetLoader.load(dir, FOUR, CLASS));
    }

    @Test
    void tellsTheKindsApartAndSaysWhatItExpected() throws Exception {
        assertFormatError(dir + ": holds no dataset: expected MNIST-style IDX files (train-images-idx3-ubyte[.gz] and "
                + "train-labels-idx1-ubyte[.gz]), x.npy and y.npy, or train.csv", () -> DatasetLoader.load(dir, FOUR, CLASS));
        save("x.npy", Tensor.of(new float[4], 1, 4));
        assertFormatError(dir + ": holds x.npy but not y.npy; the two come as a pair", () -> DatasetLoader.load(dir, FOUR, CLASS));
        write(dir.resolve("train.csv"), "1,2,3,4,0\n");
        assertFormatError(dir + ": holds more than one dataset (x.npy, train.csv); keep one per directory",
                () -> DatasetLoader.load(dir, FOUR, CLASS));
        assertFormatError(dir.resolve("x.npy") + ": a .npy dataset is a directory holding x.npy and y.npy (and optionally "
                + "x_test.npy and y_test.npy); pass that directory", () -> DatasetLoader.load(dir.resolve("x.npy"), FOUR, CLASS));
        Path idxFile = write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(new long[] {1}, 0)));
        assertFormatError(idxFile + ": an IDX dataset is the directory holding its files; pass that directory",
                () -> DatasetLoader.load(idxFile, FOUR, CLASS));
        var missing = assertThrows(NoSuchFileException.class, () -> DatasetLoader.load(dir.resolve("nope"), FOUR, CLASS));
        assertEquals(dir.resolve("nope") + ": no such file or directory", missing.getMessage());
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void everySplitNeedsSamples() throws Exception {
        save("x.npy", Tensor.zeros(DType.F32, 0, 4));
        save("y.npy", Tensor.zeros(DType.I32, 0));
        assertFormatError(dir + ": the training split holds no samples", () -> DatasetLoader.load(dir, FOUR, CLASS));
    }
}
