package dev.modelc.runtime.io;

import dev.modelc.runtime.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Hugging Face safetensors files: an 8-byte little-endian header size N, N bytes of UTF-8 JSON
 * (optionally padded with spaces), then the data buffer. The JSON maps each tensor name to
 * {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}}, offsets relative to
 * the data buffer, plus an optional {@code "__metadata__"} object of string to string.
 *
 * <p>Reading validates the whole header before touching any data: every offset lies in the
 * file, each tensor's byte span matches its shape and dtype, and the tensors tile the data
 * buffer exactly (no overlaps, no gaps), as the specification requires. Tensors come back in
 * header order.
 */
public final class SafeTensors {
    private static final String METADATA_KEY = SafeTensorsHeader.METADATA_KEY;

    /** A file's tensors in header order and its {@code __metadata__} (empty if absent). */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private SafeTensors() {}

    // ---- reading ---------------------------------------------------------------------------

    public static Map<String, Tensor> read(Path path) throws IOException {
        return readWithMetadata(path).tensors();
    }

    /** Reads and validates only the header. */
    public static Map<String, String> readMetadata(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return SafeTensorsHeader.parse(file, path.toString()).metadata();
        }
    }

    public static Contents readWithMetadata(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            // A mapping costs no memory up front; tensors are copied out once the header is valid.
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return parse(file, path.toString());
        }
    }

    /** Reads the bytes of a safetensors file; {@code sourceName} names it in error messages. */
    public static Contents read(byte[] bytes, String sourceName) throws TensorFormatException {
        return parse(MemorySegment.ofArray(bytes), sourceName);
    }

    private static Contents parse(MemorySegment file, String source) throws TensorFormatException {
        SafeTensorsHeader header = SafeTensorsHeader.parse(file, source);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafeTensorsHeader.Entry e : header.entries()) {
            MemorySegment bytes = file.asSlice(header.dataStart() + e.begin(), e.end() - e.begin());
            try {
                tensors.put(e.name(), Tensor.fromBytes(e.dtype(), e.shape(), bytes, ByteOrder.LITTLE_ENDIAN));
            } catch (IllegalArgumentException ex) {
                throw new TensorFormatException(source, "tensor '" + e.name() + "': " + ex.getMessage());
            }
        }
        return new Contents(Collections.unmodifiableMap(tensors), header.metadata());
    }

    // ---- writing ---------------------------------------------------------------------------

    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /**
     * Writes the tensors in the map's iteration order, contiguously, atomically: readers see
     * the old file or the whole new one.
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = headerBytes(tensors, metadata);
        AtomicFileWrite.write(path, out -> {
            AtomicFileWrite.writeFully(out, ByteBuffer.wrap(header));
            for (Tensor t : tensors.values()) {
                AtomicFileWrite.writeFully(out, t.segment());
            }
        });
    }

    /** The complete file as bytes, for tensors that fit in a Java array. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        byte[] header = headerBytes(tensors, metadata);
        long total = header.length;
        for (Tensor t : tensors.values()) {
            total += t.byteSize();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensors are too large for a byte array; write them to a file");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.put(header);
        for (Tensor t : tensors.values()) {
            out.put(t.segment().asByteBuffer());
        }
        return out.array();
    }

    /** Size prefix plus JSON, padded with spaces so the data buffer starts 8-byte aligned. */
    private static byte[] headerBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(METADATA_KEY)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                json.append(separator).append(quote(m.getKey())).append(':')
                        .append(quote(Objects.requireNonNull(m.getValue(), "metadata value")));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("\"" + METADATA_KEY + "\" is reserved and cannot name a tensor");
            }
            Tensor t = Objects.requireNonNull(e.getValue(), "tensor " + e.getKey());
            long end = offset + t.byteSize();
            json.append(json.length() > 1 ? "," : "").append(quote(e.getKey()))
                    .append(":{\"dtype\":\"").append(t.dtype().safetensorsName())
                    .append("\",\"shape\":").append(Arrays.toString(t.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        byte[] text = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(text);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
