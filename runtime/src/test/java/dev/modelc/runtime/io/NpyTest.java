package dev.modelc.runtime.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file from its parts, with the header text taken exactly as given. */
    static byte[] npy(int major, String header, int... data) {
        byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            bytes[i] = (byte) data[i];
        }
        return npy(major, header, bytes);
    }

    static byte[] npy(int major, String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        out.write(text.length & 0xff);
        out.write(text.length >>> 8);
        if (major > 1) {
            out.write(text.length >>> 16);
            out.write(text.length >>> 24);
        }
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void roundTripsEveryNpyDtypeAndShapeThroughFiles() throws Exception {
        for (Tensor t : TestTensors.all(1)) {
            if (t.dtype() == DType.BF16) {
                continue;
            }
            Path file = dir.resolve("t.npy");
            Npy.write(file, t);
            assertEquals(t, Npy.read(file), t.toString());
            assertEquals(0, (Files.size(file) - t.byteSize()) % 64, "data starts 64-byte aligned");
            assertEquals(t, Npy.read(new ByteArrayInputStream(Npy.toBytes(t)), "stream"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void writesExactlyWhatNumpySaveWrites() throws Exception {
        // numpy.save(np.arange(6, dtype='<f4').reshape(2, 3)): the dict, 20 spaces that NumPy
        // reserves for growing the first axis, then padding to 128 bytes in all, ending in '\n'.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        byte[] data = new byte[24];
        for (int i = 0; i < 6; i++) {
            int bits = Float.floatToIntBits(i);
            for (int b = 0; b < 4; b++) {
                data[4 * i + b] = (byte) (bits >>> (8 * b));
            }
        }
        byte[] expected = npy(1, header, data);
        assertEquals(152, expected.length);
        assertEquals(0x76, expected[8]);
        assertArrayEquals(expected, Npy.toBytes(Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3)));

        // A scalar: no growth spaces, shape (); 10 + 56 + 1 bytes pad up to 128.
        String scalarDict = "{'descr': '<i8', 'fortran_order': False, 'shape': (), }";
        byte[] scalar = npy(1, scalarDict + " ".repeat(128 - 10 - scalarDict.length() - 1) + "\n", 7, 0, 0, 0, 0, 0, 0, 0);
        assertArrayEquals(scalar, Npy.toBytes(Tensor.scalar(7L)));

        // A 1-D bool array: shape (3,), descr |b1.
        String boolDict = "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }";
        byte[] bools = npy(1, boolDict + " ".repeat(128 - 10 - boolDict.length() - 1) + "\n", 1, 0, 1);
        assertArrayEquals(bools, Npy.toBytes(Tensor.of(new boolean[] {true, false, true}, 3)));
    }

    @Test
    void readsBigEndianAndLaterVersions() throws Exception {
        Tensor be = Npy.read(npy(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }\n",
                0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe), "be.npy");
        assertEquals(Tensor.of(new int[] {1, -2}, 2), be);
        Tensor bf = Npy.read(npy(2, "{'descr': '>f8', 'fortran_order': False, 'shape': (), }\n",
                0x3f, (byte) 0xf0, 0, 0, 0, 0, 0, 0), "v2.npy");
        assertEquals(Tensor.scalar(1.0), bf);
        Tensor v3 = Npy.read(npy(3, "{\"descr\": \"<f2\", \"fortran_order\": False, \"shape\": (1, 1)}", 0x00, 0x3c), "v3.npy");
        assertEquals(1f, v3.getFloat(0, 0));
        // Fortran order is harmless when at most one axis is longer than 1.
        Tensor f = Npy.read(npy(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (1, 2), }", 1, 0, 0, 0, 2, 0, 0, 0), "f.npy");
        assertArrayEquals(new int[] {1, 2}, f.toIntArray());
    }

    @Test
    void bfloat16CannotBeWrittenAsNpy() {
        Tensor t = Tensor.zeros(DType.BF16, 2);
        var e = assertThrows(TensorFormatException.class, () -> Npy.write(dir.resolve("x.npy"), t));
        assertTrue(e.getMessage().contains("bfloat16 has no .npy dtype"), e.getMessage());
    }
}
