package dev.modelc.runtime.io;

import static dev.modelc.runtime.io.NpyTest.npy;
import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed .npy files: each must fail with a TensorFormatException that says what is wrong. */
class NpyHostileInputTest {
    private static final String F4_2x2 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n";

    static Stream<Arguments> cases() throws Exception {
        byte[] valid = Npy.toBytes(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        byte[] hugeHeaderLength = valid.clone();
        hugeHeaderLength[8] = (byte) 0xff;
        hugeHeaderLength[9] = (byte) 0xff;
        byte[] v2Huge = npy(2, F4_2x2, new byte[16]);
        v2Huge[8] = v2Huge[9] = v2Huge[10] = v2Huge[11] = (byte) 0xff;
        byte[] nonUtf8 = npy(3, F4_2x2, new byte[16]);
        nonUtf8[20] = (byte) 0xc3;
        nonUtf8[21] = (byte) 0x28;
        return Stream.of(
                Arguments.of("empty file", new byte[0], "not a .npy file"),
                Arguments.of("bad magic", "hello world, not numpy".getBytes(), "not a .npy file"),
                Arguments.of("truncated header", Arrays.copyOf(valid, 40), "header length 118 is larger than the 30 bytes left"),
                Arguments.of("truncated data", Arrays.copyOf(valid, valid.length - 1),
                        "data is 15 bytes but shape (2, 2) of float32 needs 16 (file is truncated)"),
                Arguments.of("trailing bytes", Arrays.copyOf(valid, valid.length + 3), "data is 19 bytes but shape (2, 2) of float32 needs 16 (trailing"),
                Arguments.of("header length past the end", hugeHeaderLength, "header length 65535 is larger"),
                Arguments.of("version 2 header length 4 GiB", v2Huge, "exceeds the limit"),
                Arguments.of("version 9", npy(9, F4_2x2, new byte[16]), "unsupported .npy format version 9.0"),
                Arguments.of("non-UTF-8 version 3 header", nonUtf8, "not valid UTF-8"),
                Arguments.of("unknown dtype", npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", new byte[16]),
                        "unsupported dtype '<c8'"),
                Arguments.of("structured dtype", npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                        "unsupported value"),
                Arguments.of("negative dimension", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"),
                        "negative dimension"),
                Arguments.of("huge dimension", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
                        "too large"),
                Arguments.of("2^62 elements", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }"),
                        "needs more than"),
                Arguments.of("element count overflow", npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"),
                        "has more than"),
                Arguments.of("fortran order", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]),
                        "Fortran-order arrays are not supported"),
                Arguments.of("missing key", npy(1, "{'descr': '<f4', 'shape': (2, 2), }", new byte[16]), "no 'fortran_order'"),
                Arguments.of("extra key", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': True}", new byte[4]),
                        "unexpected header key 'x'"),
                Arguments.of("duplicate key", npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                        "duplicate header key 'descr'"),
                Arguments.of("python expression", npy(1, "{'descr': '<f4', 'fortran_order': __import__('os'), 'shape': (1,)}", new byte[4]),
                        "unsupported value"),
                Arguments.of("shape without tuple comma", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4)}", new byte[16]),
                        "needs a trailing comma"),
                Arguments.of("garbage after dict", npy(1, F4_2x2 + "x", new byte[16]), "unexpected text after"),
                Arguments.of("bool byte 2", npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", 1, 2),
                        "bool element 1 is 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsClearly(String name, byte[] file, String expectedMessagePart) {
        var e = assertThrows(TensorFormatException.class, () -> Npy.read(file, "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessagePart), "message was: " + e.getMessage());
    }
}
