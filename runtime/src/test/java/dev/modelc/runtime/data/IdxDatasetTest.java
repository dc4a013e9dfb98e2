package dev.modelc.runtime.data;

import static dev.modelc.runtime.data.DataFiles.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdxDatasetTest {
    private static final FeatureSpec PIXELS = new FeatureSpec("x", DType.F32, 4);
    private static final FeatureSpec CLASS = new FeatureSpec("y", DType.I32);
    /** Three 2x2 images and their labels. */
    private static final byte[] IMAGES = idx(new long[] {3, 2, 2}, 0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0);
    private static final byte[] LABELS = idx(new long[] {3}, 7, 0, 9);

    @TempDir
    Path dir;

    private void writeMnist(String prefix, boolean gz) throws Exception {
        String suffix = gz ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gz ? gzip(IMAGES) : IMAGES);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gz ? gzip(LABELS) : LABELS);
    }

    @Test
    void readsPixelsScaledToUnitAndLabelsAsIntegers() throws Exception {
        writeMnist("train", false);
        Splits splits = DatasetLoader.load(dir, PIXELS, CLASS);
        assertTrue(splits.test().isEmpty(), "no t10k files, no test split");
        Dataset train = splits.train();
        assertEquals(3, train.size());
        assertArrayEquals(new long[] {3, 4}, train.features().shape());
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f}, Arrays.copyOf(train.features().toFloatArray(), 4));
        assertEquals(Tensor.of(new int[] {7, 0, 9}, 3), train.labels());
    }

    @Test
    void gzipFilesGiveTheSameTensorsAndT10kIsTheTestSplit() throws Exception {
        writeMnist("train", true);
        writeMnist("t10k", true);
        Splits gz = DatasetLoader.load(dir, PIXELS, CLASS);
        Path plainDir = Files.createDirectory(dir.resolve("plain"));
        write(plainDir.resolve("train-images-idx3-ubyte"), IMAGES);
        write(plainDir.resolve("train-labels-idx1-ubyte"), LABELS);
        assertEquals(DatasetLoader.load(plainDir, PIXELS, CLASS).train(), gz.train());
        assertEquals(gz.train(), gz.test().orElseThrow());
    }

    @Test
    void reshapesAndConvertsToTheInputs() throws Exception {
        writeMnist("train", false);
        Dataset d = DatasetLoader.load(dir, new FeatureSpec("x", DType.F64, 2, 2, 1), new FeatureSpec("y", DType.F32, 1)).train();
        assertArrayEquals(new long[] {3, 2, 2, 1}, d.features().shape());
        assertEquals(102 / 255.0, d.features().getDouble(0, 1, 1, 0));
        assertEquals(Tensor.of(new float[] {7, 0, 9}, 3, 1), d.labels());
        // An integer input gets the raw pixel values.
        Dataset raw = DatasetLoader.load(dir, new FeatureSpec("x", DType.I64, 4), new FeatureSpec("y", DType.I64)).train();
        assertArrayEquals(new long[] {0, 255, 51, 102}, Arrays.copyOf(raw.features().toLongArray(), 4));
    }

    @Test
    void plainFileWinsOverItsGzipTwin() throws Exception {
        writeMnist("train", false);
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(new long[] {3}, 1, 1, 1)));
        assertEquals(Tensor.of(new int[] {7, 0, 9}, 3), DatasetLoader.load(dir, PIXELS, CLASS).train().labels());
    }

    @Test
    void mismatchedFilesFailClearly() throws Exception {
        writeMnist("train", false);
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(IMAGES));
        assertFormatError(dir + ": holds t10k-images-idx3-ubyte[.gz] but not t10k-labels-idx1-ubyte[.gz]; the two come as a pair",
                () -> DatasetLoader.load(dir, PIXELS, CLASS));
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));

        assertFormatError(dir.resolve("train-images-idx3-ubyte") + ": each sample is (2, 2) = 4 values, but input 'x' "
                        + "(float32, (784,)) takes 784 per sample",
                () -> DatasetLoader.load(dir, new FeatureSpec("x", DType.F32, 784), CLASS));
        assertFormatError(dir.resolve("train-labels-idx1-ubyte") + ": element 0: 7 is not a bool (0 or 1) (for input 'y' (bool, ()))",
                () -> DatasetLoader.load(dir, PIXELS, new FeatureSpec("y", DType.BOOL)));

        write(dir.resolve("train-labels-idx1-ubyte"), idx(new long[] {2}, 7, 0));
        assertFormatError(dir.resolve("train-labels-idx1-ubyte") + ": holds 2 labels, but " + dir.resolve("train-images-idx3-ubyte")
                + " holds 3 samples", () -> DatasetLoader.load(dir, PIXELS, CLASS));
    }

    static Stream<Arguments> hostileFiles() {
        byte[] valid = idx(new long[] {2, 2}, 1, 2, 3, 4);
        byte[] huge = idx(0x08, new long[] {0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFL}, new byte[0]);
        byte[] bigButUnder2GiB = idx(0x08, new long[] {0x7FFFFFF0L}, new byte[10]);
        byte[] truncatedGzip = gzip(valid);
        truncatedGzip = Arrays.copyOf(truncatedGzip, truncatedGzip.length - 12);
        return Stream.of(
                Arguments.of("empty", "f", new byte[0], "is 0 bytes, too short for an IDX header"),
                Arguments.of("not IDX", "f", "PK\u0003\u0004".getBytes(), "not an IDX file (it does not start with two zero bytes)"),
                Arguments.of("float type", "f", idx(0x0D, new long[] {1}, new byte[4]),
                        "element type 0x0D (32-bit float) is not supported; only 0x08 (unsigned byte) is"),
                Arguments.of("unknown type", "f", idx(0x42, new long[] {1}, new byte[1]), "element type 0x42 (not an IDX type)"),
                Arguments.of("rank 0", "f", idx(0x08, new long[0], new byte[0]), "has rank 0; an IDX dataset needs at least the sample dimension"),
                Arguments.of("truncated header", "f", Arrays.copyOf(valid, 9), "is truncated in its header: rank 2 needs 8 bytes of dimensions"),
                Arguments.of("truncated data", "f", Arrays.copyOf(valid, valid.length - 1), "data is 3 bytes but dimensions (2, 2) need 4 (file is truncated)"),
                Arguments.of("trailing data", "f", Arrays.copyOf(valid, valid.length + 1), "data is 5 bytes but dimensions (2, 2) need 4 (trailing bytes after the data)"),
                Arguments.of("overflowing dims", "f", huge, "dimensions (4294967295, 4294967295, 4294967295) hold more than 9223372036854775807 elements"),
                Arguments.of("huge claim, plain", "f", bigButUnder2GiB, "data is 10 bytes but dimensions (2147483632,) need 2147483632 (file is truncated)"),
                Arguments.of("huge claim, gzip", "f.gz", gzip(bigButUnder2GiB), "data is 10 bytes but dimensions (2147483632,) need 2147483632 (file is truncated)"),
                Arguments.of("over 2 GiB, gzip", "f.gz", gzip(idx(0x08, new long[] {4, 0x40000000L}, new byte[0])),
                        "dimensions (4, 1073741824) hold 4294967296 bytes; the loader reads at most 2147483639"),
                Arguments.of("trailing data, gzip", "f.gz", gzip(Arrays.copyOf(valid, valid.length + 1)),
                        "has trailing bytes after the 4 bytes that dimensions (2, 2) need"),
                Arguments.of("named .gz, not gzip", "f.gz", valid, "is named .gz but does not hold gzip data"),
                Arguments.of("truncated gzip", "f.gz", truncatedGzip, "corrupt or truncated gzip data"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void hostileFilesFailClearlyWithoutAllocatingWhatTheyClaim(String name, String fileName, byte[] bytes, String expected)
            throws Exception {
        Path file = write(dir.resolve(fileName), bytes);
        var e = assertThrows(dev.modelc.runtime.io.TensorFormatException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().startsWith(file + ": " + expected), e.getMessage());
        assertTrue(allocatedBy(() -> Idx.read(file)) < 8 << 20, "reading allocates little");
    }
}
