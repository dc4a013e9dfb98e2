package dev.modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.io.TensorFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;

/** Small dataset files written by hand for the loader tests, and the assertions they share. */
final class DataFiles {
    private DataFiles() {}

    /** An IDX file: magic {@code 00 00 type rank}, big-endian dimensions, then {@code data}. */
    static byte[] idx(int type, long[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (long d : dims) {
            out.writeBytes(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** An unsigned-byte IDX file with these values. */
    static byte[] idx(long[] dims, int... values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        return idx(0x08, dims, data);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes);
    }

    static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Fails unless {@code call} throws a TensorFormatException whose message is exactly {@code expected}. */
    static void assertFormatError(String expected, Executable call) {
        assertEquals(expected, assertThrows(TensorFormatException.class, call).getMessage());
    }

    /** Heap bytes this thread allocates while running {@code call}, which may throw. */
    static long allocatedBy(Executable call) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            call.execute();
        } catch (Throwable expected) {
            // only the allocation matters here
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
