package dev.modelc.runtime.data;

import static dev.modelc.runtime.data.DataFiles.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvDatasetTest {
    private static final FeatureSpec TWO = new FeatureSpec("x", DType.F32, 2);
    private static final FeatureSpec CLASS = new FeatureSpec("y", DType.I32);

    @TempDir
    Path dir;

    @Test
    void skipsAHeaderBlankLinesAndSpaces() throws Exception {
        Path csv = write(dir.resolve("data.csv"), "\uFEFFx1, x2, label\r\n\r\n 1.5 ,-2,0\r\n.5,1e-3,3.0\n   \n");
        Dataset d = DatasetLoader.load(csv, TWO, CLASS).train();
        assertEquals(Tensor.of(new float[] {1.5f, -2, 0.5f, 1e-3f}, 2, 2), d.features());
        assertEquals(Tensor.of(new int[] {0, 3}, 2), d.labels());
        assertTrue(DatasetLoader.load(csv, TWO, CLASS).test().isEmpty(), "a lone CSV file has no test split");
    }

    @Test
    void readsWithoutHeaderReshapesAndSplitsLabelColumnsOffTheEnd() throws Exception {
        Path csv = write(dir.resolve("data.txt"), "1,2,3,4,5\n6,7,8,9,10\n");
        Dataset d = DatasetLoader.load(csv, new FeatureSpec("x", DType.F64, 3, 1), new FeatureSpec("y", DType.F32, 2)).train();
        assertEquals(Tensor.of(new double[] {1, 2, 3, 6, 7, 8}, 2, 3, 1), d.features());
        assertEquals(Tensor.of(new float[] {4, 5, 9, 10}, 2, 2), d.labels());
        Dataset ints = DatasetLoader.load(csv, new FeatureSpec("x", DType.I64, 4), new FeatureSpec("y", DType.I32, 1)).train();
        assertArrayEquals(new long[] {1, 2, 3, 4, 6, 7, 8, 9}, ints.features().toLongArray());
        Path bools = write(dir.resolve("bools.csv"), "1,0\n1,1\n");
        assertEquals(Tensor.of(new boolean[] {false, true}, 2),
                DatasetLoader.load(bools, new FeatureSpec("x", DType.F32, 1), new FeatureSpec("y", DType.BOOL)).train().labels());
        assertFormatError(csv + ":1: column 5: 5 is not a bool (0 or 1) (for input 'y' (bool, (1,)))",
                () -> DatasetLoader.load(csv, new FeatureSpec("x", DType.I64, 4), new FeatureSpec("y", DType.BOOL, 1)));
    }

    @Test
    void float32ValuesAreRoundedOnceFromTheText() throws Exception {
        // Just above 1 + 2^-24, the midpoint of 1f and 1.0000001f. Via double it would become the
        // midpoint exactly and then round to even, 1f; rounded once it is 1.0000001f.
        String text = "1.000000059604644775390625000000000000000000000001";
        assertEquals(1f, (float) Double.parseDouble(text));
        Path csv = write(dir.resolve("d.csv"), text + ",0\n");
        assertEquals(1.0000001f, DatasetLoader.load(csv, new FeatureSpec("x", DType.F32, 1), CLASS)
                .train().features().getFloat(0, 0));
    }

    @Test
    void aDirectoryWithTrainCsvMayHoldTestCsv() throws Exception {
        write(dir.resolve("train.csv"), "a,b,y\n1,2,0\n3,4,1\n");
        assertTrue(DatasetLoader.load(dir, TWO, CLASS).test().isEmpty());
        write(dir.resolve("test.csv"), "5,6,1\n");
        Splits splits = DatasetLoader.load(dir, TWO, CLASS);
        assertEquals(2, splits.train().size());
        assertEquals(Tensor.of(new float[] {5, 6}, 1, 2), splits.test().orElseThrow().features());
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("short row", "1,2,0\n1,2\n", ":2: the row has 2 values, but each row needs 3: 2 for input 'x' "
                        + "(float32, (2,)), then 1 for input 'y' (int32, ())"),
                Arguments.of("header width", "a,b\n1,2,0\n", ":1: the first row has 2 values, but each row needs 3"),
                Arguments.of("not a number", "x,y,z\n1,2,0\n1,abc,0\n", ":3: column 2 is 'abc', not a number"),
                Arguments.of("java float suffix", "1,2,0\n1,2f,0\n", ":2: column 2 is '2f', not a number"),
                Arguments.of("nan", "1,2,0\n1,NaN,0\n", ":2: column 2 is 'NaN', not a number"),
                Arguments.of("empty cell", "1,2,0\n\n1,,0\n", ":3: column 2 is empty"),
                Arguments.of("fractional label", "1,2,2.5\n", ":1: column 3: 2.5 is not a whole number (for input 'y' (int32, ()))"),
                Arguments.of("label out of int32", "1,2,3000000000\n", ":1: column 3: 3000000000 is out of range for int32"),
                Arguments.of("label out of int64", "1,2,1e30\n", ":1: column 3: 1e30 is out of range for int64"),
                Arguments.of("float32 overflow", "1,1e39,0\n", ":1: column 2: 1e39 is out of range for float32 (for input 'x' (float32, (2,)))"),
                Arguments.of("only a header", "a,b,y\n\n", ": the training split holds no samples"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFilesNameFileAndLine(String name, String text, String expected) throws Exception {
        Path csv = write(dir.resolve("bad.csv"), text);
        var e = assertThrows(dev.modelc.runtime.io.TensorFormatException.class, () -> DatasetLoader.load(csv, TWO, CLASS));
        assertTrue(e.getMessage().startsWith(csv + expected), e.getMessage());
    }

    @Test
    void invalidUtf8IsReportedAsSuch() throws Exception {
        Path csv = write(dir.resolve("bad.csv"), new byte[] {'1', ',', '2', ',', '0', '\n', (byte) 0xC3, '('});
        var e = assertThrows(dev.modelc.runtime.io.TensorFormatException.class, () -> DatasetLoader.load(csv, TWO, CLASS));
        assertEquals(csv + ": is not UTF-8 text", e.getMessage());
    }
}
