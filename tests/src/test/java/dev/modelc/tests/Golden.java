package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a golden file, or rewrites the file when run with {@code -Dgolden.update=true}
 * (then the diff is the review).
 */
final class Golden {
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private Golden() {}

    static void check(Path expectedFile, String actual) throws IOException {
        if (UPDATE) {
            String old = Files.exists(expectedFile) ? Files.readString(expectedFile, StandardCharsets.UTF_8) : null;
            if (!actual.equals(old)) {
                Files.createDirectories(expectedFile.getParent());
                Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
                System.out.println("golden: updated " + expectedFile);
            }
            return;
        }
        if (!Files.exists(expectedFile)) {
            throw new AssertionError("missing golden file " + expectedFile + " (run with -Dgolden.update=true to create it)");
        }
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, "golden file " + expectedFile);
    }
}
