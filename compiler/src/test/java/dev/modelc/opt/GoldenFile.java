package dev.modelc.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a golden file, or rewrites the file when run with {@code -Dgolden.update=true},
 * saying so on the console (the diff is then the review). A missing file fails unless updating.
 */
final class GoldenFile {
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private GoldenFile() {}

    static void check(Path expected, String actual) throws IOException {
        String old = Files.exists(expected) ? Files.readString(expected, StandardCharsets.UTF_8) : null;
        if (UPDATE) {
            if (!actual.equals(old)) {
                Files.writeString(expected, actual, StandardCharsets.UTF_8);
                System.out.println("golden: updated " + expected);
            }
            return;
        }
        if (old == null) throw new AssertionError("missing golden file " + expected + " (run with -Dgolden.update=true to create it)");
        assertEquals(old, actual, "golden file " + expected);
    }
}
