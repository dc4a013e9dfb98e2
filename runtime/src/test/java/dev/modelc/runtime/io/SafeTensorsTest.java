package dev.modelc.runtime.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A safetensors file from a header text (taken as is) and a data buffer. */
    static byte[] safetensors(String header, int... data) {
        byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            bytes[i] = (byte) data[i];
        }
        return safetensors(header, bytes);
    }

    static byte[] safetensors(String header, byte[] data) {
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(text.length).put(text).put(data).array();
    }

    @Test
    void roundTripsEveryDtypeAndShapeInOrderWithMetadata() throws Exception {
        List<Tensor> all = TestTensors.all(2);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            tensors.put("t" + (all.size() - i) + "/\"quoted\" é", all.get(i)); // reverse-sorted, escaped names
        }
        Map<String, String> metadata = Map.of("format", "pt", "note", "line\nbreak");
        Path file = dir.resolve("params.safetensors");
        SafeTensors.write(file, tensors, metadata);
        SafeTensors.write(file, tensors, metadata); // replacing an existing file
        SafeTensors.Contents read = SafeTensors.readWithMetadata(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()));
        assertEquals(tensors, read.tensors());
        assertEquals(metadata, read.metadata());
        assertEquals(metadata, SafeTensors.readMetadata(file));
        assertEquals(tensors, SafeTensors.read(SafeTensors.toBytes(tensors, metadata), "bytes").tensors());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void writesTheSpecifiedLayout() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.of(new int[] {1, 2}, 2));
        tensors.put("a", Tensor.scalar(true));
        String json = "{\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[8,9]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        byte[] expected = safetensors(padded, 1, 0, 0, 0, 2, 0, 0, 0, 1);
        assertArrayEquals(expected, SafeTensors.toBytes(tensors, Map.of()));
    }

    @Test
    void acceptsWhatOtherWritersProduce() throws Exception {
        // Metadata first, keys sorted, spaces in the JSON and padding, a zero-size tensor.
        String header = "{\"__metadata__\": {\"format\": \"pt\"}, \"a\": {\"dtype\": \"F32\", \"shape\": [1], "
                + "\"data_offsets\": [0, 4]}, \"empty\": {\"dtype\": \"F64\", \"shape\": [0, 2], \"data_offsets\": [4, 4]}}    ";
        var read = SafeTensors.read(safetensors(header, 0, 0, (byte) 0x80, 0x3f), "x.safetensors");
        assertEquals(Tensor.of(new float[] {1}, 1), read.tensors().get("a"));
        assertArrayEquals(new long[] {0, 2}, read.tensors().get("empty").shape());
        assertEquals(Map.of("format", "pt"), read.metadata());
        assertEquals(Map.of(), SafeTensors.read(safetensors("{}"), "empty").tensors());
    }
}
