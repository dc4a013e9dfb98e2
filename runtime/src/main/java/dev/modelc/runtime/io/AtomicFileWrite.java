package dev.modelc.runtime.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old contents or the complete new ones, never a
 * half-written file: the bytes go to a temporary file in the same directory (so the final
 * rename stays on one file system), are forced to disk, and the temporary file is then moved
 * over the target.
 */
public final class AtomicFileWrite {
    /** ByteBuffer views are limited to 2 GiB, so large segments are written in slices. */
    private static final long SLICE_BYTES = 1L << 30;

    @FunctionalInterface
    interface Body {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    private AtomicFileWrite() {}

    /**
     * A temporary file is created owner-only (0600); the file it becomes should have the
     * permissions of the file it replaces, or else those of an ordinary new file (0644).
     */
    private static void readableLikeANewFile(Path temp, Path target) throws IOException {
        if (!temp.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        var permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temp, permissions);
    }

    /** Writes {@code bytes} to {@code target} atomically: readers see the old file or the whole new one. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> writeFully(out, ByteBuffer.wrap(bytes)));
    }

    static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(out);
                out.force(true);
            }
            readableLikeANewFile(temp, absolute);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    static void writeFully(WritableByteChannel out, MemorySegment bytes) throws IOException {
        for (long at = 0; at < bytes.byteSize(); at += SLICE_BYTES) {
            writeFully(out, bytes.asSlice(at, Math.min(SLICE_BYTES, bytes.byteSize() - at)).asByteBuffer());
        }
    }
}
