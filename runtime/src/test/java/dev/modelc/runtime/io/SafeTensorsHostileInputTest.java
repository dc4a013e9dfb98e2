package dev.modelc.runtime.io;

import static dev.modelc.runtime.io.SafeTensorsTest.safetensors;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed safetensors files: each must fail with a TensorFormatException that says what is wrong. */
class SafeTensorsHostileInputTest {
    @TempDir
    Path dir;

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static byte[] sizePrefix(long n, int extra) {
        return ByteBuffer.allocate(8 + extra).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    static Stream<Arguments> cases() {
        byte[] valid = safetensors("{" + entry("w", "F32", "[2]", 0, 8) + "}", new byte[8]);
        byte[] nonUtf8 = safetensors("{\"w\u00e9\":{}}");
        nonUtf8[12] = (byte) 0xff;
        return Stream.of(
                Arguments.of("empty file", new byte[0], "too short for the 8-byte header size"),
                Arguments.of("truncated size", new byte[] {1, 2, 3}, "too short"),
                Arguments.of("header size larger than file", sizePrefix(1000, 10), "header size 1000 is larger than the 10 bytes"),
                Arguments.of("header size above 100 MB", sizePrefix(200_000_000, 10), "exceeds the limit of 100000000"),
                Arguments.of("header size with top bit set", sizePrefix(-1, 10), "header size 18446744073709551615 exceeds"),
                Arguments.of("truncated data", Arrays.copyOf(valid, valid.length - 1),
                        "tensor 'w': data_offsets [0, 8] lie outside the 7-byte data buffer"),
                Arguments.of("trailing bytes", Arrays.copyOf(valid, valid.length + 4), "data buffer is 12 bytes but the tensors cover 8"),
                Arguments.of("header not an object", safetensors("[1]"), "does not start with '{'"),
                Arguments.of("trailing garbage", safetensors("{}x"), "unexpected characters after the JSON value"),
                Arguments.of("non-UTF-8 header", nonUtf8, "not valid UTF-8"),
                Arguments.of("duplicate key", safetensors("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", new byte[8]),
                        "duplicate key \"w\""),
                Arguments.of("deep nesting", safetensors("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"), "nested deeper than 64"),
                Arguments.of("huge number", safetensors("{" + entry("w", "F32", "[123456789012345678901234567890]", 0, 4) + "}", new byte[4]),
                        "number is too large"),
                Arguments.of("fractional number", safetensors("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", new byte[4]), "only integers"),
                Arguments.of("unknown dtype", safetensors("{" + entry("w", "C64", "[1]", 0, 8) + "}", new byte[8]), "tensor 'w': unsupported dtype \"C64\""),
                Arguments.of("negative dimension", safetensors("{" + entry("w", "F32", "[-1]", 0, 0) + "}"), "tensor 'w': \"shape\" must hold non-negative"),
                Arguments.of("2^62 elements", safetensors("{" + entry("w", "F32", "[4611686018427387904]", 0, 0) + "}"), "needs more than"),
                Arguments.of("element count overflow", safetensors("{" + entry("w", "BOOL", "[4294967296,4294967296]", 0, 0) + "}"), "has more than"),
                Arguments.of("huge tensor claimed", safetensors("{" + entry("w", "F32", "[1000000000]", 0, 4000000000L) + "}", new byte[4]),
                        "lie outside the 4-byte data buffer"),
                Arguments.of("offsets out of range", safetensors("{" + entry("w", "F32", "[1]", 4, 8) + "}", new byte[4]), "lie outside"),
                Arguments.of("offsets reversed", safetensors("{" + entry("w", "F32", "[0]", 4, 0) + "}", new byte[4]), "end before they begin"),
                Arguments.of("offsets disagree with shape", safetensors("{" + entry("w", "F32", "[2]", 0, 4) + "}", new byte[4]),
                        "tensor 'w': data_offsets [0, 4] span 4 bytes but shape (2,) of float32 needs 8"),
                Arguments.of("overlapping tensors", safetensors("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", new byte[8]),
                        "tensor 'b': data_offsets [4, 8] overlap tensor 'a'"),
                Arguments.of("gap between tensors", safetensors("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", new byte[12]),
                        "bytes [4, 8) belong to no tensor"),
                Arguments.of("unknown entry field", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":1}}", new byte[4]),
                        "unexpected field \"x\""),
                Arguments.of("missing offsets", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[]}}", new byte[4]), "\"data_offsets\" must be"),
                Arguments.of("three offsets", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4,4]}}", new byte[4]),
                        "must be [begin, end]"),
                Arguments.of("metadata not strings", safetensors("{\"__metadata__\":{\"a\":1}}"), "must be a string"),
                Arguments.of("bad bool byte", safetensors("{" + entry("w", "BOOL", "[1]", 0, 1) + "}", (byte) 5), "tensor 'w': bool element 0 is 5"),
                Arguments.of("lone surrogate", safetensors("{\"\\ud800\":{}}"), "unpaired surrogate"),
                Arguments.of("control character", safetensors("{\"a\u0001\":{}}"), "unescaped control character"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsClearly(String name, byte[] file, String expectedMessagePart) throws Exception {
        var e = assertThrows(TensorFormatException.class, () -> SafeTensors.read(file, "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessagePart), "message was: " + e.getMessage());
        // The file path reads the same bytes through a mapping and must fail the same way.
        Path path = dir.resolve("bad.safetensors");
        Files.write(path, file);
        var fromFile = assertThrows(TensorFormatException.class, () -> SafeTensors.read(path));
        assertTrue(fromFile.getMessage().contains(expectedMessagePart), fromFile.getMessage());
    }

    @Test
    void aSparseFileClaimingAHugeTensorFailsWithoutAllocating() throws Exception {
        // The header's offsets agree with the file size, but the tensor is declared as a tiny shape.
        Path path = dir.resolve("sparse.safetensors");
        byte[] header = safetensors("{" + entry("w", "F32", "[1]", 0, 1L << 40) + "}");
        try (var ch = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(header));
            ch.write(ByteBuffer.wrap(new byte[] {0}), header.length + (1L << 40) - 1);
        }
        var e = assertThrows(TensorFormatException.class, () -> SafeTensors.read(path));
        assertTrue(e.getMessage().contains("span 1099511627776 bytes but shape (1,) of float32 needs 4"), e.getMessage());
    }
}
