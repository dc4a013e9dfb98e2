package dev.modelc.runtime.data;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * CSV datasets. The convention:
 *
 * <ul>
 *   <li>UTF-8 text (a leading byte-order mark is ignored), one sample per line, values separated
 *       by commas. There is no quoting. Spaces around a value are ignored; a blank line is
 *       skipped.
 *   <li>An optional header: the first non-blank line is a header, and skipped, when any of its
 *       cells is not a number. It must have as many cells as a data row.
 *   <li>The last K columns are the label, K being the number of values the label input takes
 *       per sample (1 for a scalar label such as {@code y: i32[B]}); the columns before them are
 *       the features, exactly as many as the features input takes per sample. Each part is
 *       reshaped in C order to its input's per-sample shape.
 *   <li>A value is a decimal number: {@code 3}, {@code -0.5}, {@code .5}, {@code 1e-3}. NaN and
 *       infinities are refused. A float input takes any number, correctly rounded to its
 *       precision (one too large for it is refused); an integer input takes whole numbers in its
 *       range ({@code 3} or {@code 3.0}); a bool input takes 0 or 1.
 * </ul>
 *
 * Every error about a row names the file and line, and the column where there is one.
 */
final class Csv {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final int FIRST_GUESS_ROWS = 1024;

    private Csv() {}

    static Dataset read(Path path, FeatureSpec features, FeatureSpec labels) throws IOException {
        int featureColumns = columns(features, path);
        int columns = Math.addExact(featureColumns, columns(labels, path));
        ElementBuffer x = new ElementBuffer(features.dtype(), (long) FIRST_GUESS_ROWS * featureColumns);
        ElementBuffer y = new ElementBuffer(labels.dtype(), (long) FIRST_GUESS_ROWS * (columns - featureColumns));
        long rows = 0;
        int lineNumber = 0;
        boolean first = true;
        try (BufferedReader in = Files.newBufferedReader(path)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String where = path + ":" + lineNumber;
                String[] cells = line.split(",", -1);
                if (cells.length != columns) {
                    throw new TensorFormatException(where, (first ? "the first row" : "the row") + " has " + cells.length
                            + " values, but each row needs " + columns + ": " + layout(featureColumns, features, labels));
                }
                if (first && !allNumbers(cells)) {
                    first = false;
                    continue; // the header
                }
                first = false;
                for (int c = 0; c < columns; c++) {
                    FeatureSpec spec = c < featureColumns ? features : labels;
                    add(c < featureColumns ? x : y, cells[c].strip(), spec, where, c + 1);
                }
                rows++;
            }
        } catch (CharacterCodingException e) {
            // The reader decodes ahead of the lines it returns, so the line number would be a guess.
            throw new TensorFormatException(path.toString(), "is not UTF-8 text", e);
        }
        return new Dataset(x.toTensor(features.batchShape(rows)), y.toTensor(labels.batchShape(rows)));
    }

    private static int columns(FeatureSpec spec, Path path) throws TensorFormatException {
        if (spec.elementCount() > Integer.MAX_VALUE) {
            throw new TensorFormatException(path.toString(), spec.describe() + " takes more values per sample than a "
                    + "CSV row can hold");
        }
        return (int) spec.elementCount();
    }

    private static String layout(int featureColumns, FeatureSpec features, FeatureSpec labels) {
        return featureColumns + " for " + features.describe() + ", then " + labels.elementCount() + " for "
                + labels.describe();
    }

    private static boolean allNumbers(String[] cells) {
        for (String cell : cells) {
            if (!NUMBER.matcher(cell.strip()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static void add(ElementBuffer out, String cell, FeatureSpec spec, String where, int column)
            throws TensorFormatException {
        String what = "column " + column;
        if (cell.isEmpty()) {
            throw new TensorFormatException(where, what + " is empty");
        }
        if (!NUMBER.matcher(cell).matches()) {
            throw new TensorFormatException(where, what + " is '" + cell + "', not a number");
        }
        try {
            switch (spec.dtype()) {
                // Parsing straight to the target precision rounds once; via double it could round twice.
                case F32 -> out.addDouble(finite(Float.parseFloat(cell), cell, spec));
                case F64 -> out.addDouble(finite(Double.parseDouble(cell), cell, spec));
                default -> out.addLong(whole(cell));
            }
        } catch (IllegalArgumentException e) {
            throw new TensorFormatException(where, what + ": " + e.getMessage() + " (for " + spec.describe() + ")");
        }
    }

    private static double finite(double value, String cell, FeatureSpec spec) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(cell + " is out of range for " + spec.dtype());
        }
        return value;
    }

    private static long whole(String cell) {
        BigDecimal value = new BigDecimal(cell);
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(cell + " is not a whole number");
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(cell + " is out of range for int64");
        }
    }
}
