package dev.modelc.runtime.data;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * IDX files, the format of MNIST and Fashion-MNIST: a magic number {@code 00 00 TT RR} (TT the
 * element type, RR the rank), RR big-endian unsigned 32-bit dimensions, then the elements in C
 * order. Only type 0x08, unsigned byte, is read: it is what every MNIST-style file holds. The
 * first dimension counts the samples.
 *
 * <p>A file may be gzip-compressed; that is recognised by its magic bytes {@code 1f 8b}, and a
 * file named {@code .gz} must be compressed. Sizes are checked before anything is allocated:
 * a plain file must be exactly the header plus the product of the dimensions; a compressed
 * one, whose length says nothing, is read in chunks, so a header that claims more than the
 * stream holds is reported as truncated without the claimed amount being reserved.
 */
final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;
    /** The largest Java array: the elements are read into one. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private Idx() {}

    /** The dimensions and the raw unsigned bytes of an IDX file. */
    record Array(long[] dims, byte[] data) {
        long samples() {
            return dims[0];
        }

        long[] sampleShape() {
            return Arrays.copyOfRange(dims, 1, dims.length);
        }

        /**
         * The samples for a model input: pixels scaled to [0, 1] for a float input, the values
         * themselves for an integer or bool input (a bool byte must be 0 or 1).
         */
        Tensor toTensor(FeatureSpec spec, boolean scaled, String source) throws TensorFormatException {
            Conform.checkSample(sampleShape(), spec, source);
            boolean toFloat = spec.dtype() == DType.F32 || spec.dtype() == DType.F64;
            ElementBuffer out = new ElementBuffer(spec.dtype(), data.length);
            for (int i = 0; i < data.length; i++) {
                int v = data[i] & 0xff;
                try {
                    if (scaled && toFloat) {
                        out.addDouble(v / 255.0);
                    } else {
                        out.addLong(v);
                    }
                } catch (IllegalArgumentException e) {
                    throw new TensorFormatException(source, "element " + i + ": " + e.getMessage() + " (for "
                            + spec.describe() + ")");
                }
            }
            return out.toTensor(spec.batchShape(samples()));
        }
    }

    static Array read(Path path) throws IOException {
        String source = path.toString();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(path))) {
            file.mark(2);
            boolean gzip = file.read() == 0x1f && file.read() == 0x8b;
            file.reset();
            if (!gzip && source.endsWith(".gz")) {
                throw new TensorFormatException(source, "is named .gz but does not hold gzip data");
            }
            if (!gzip) {
                return parse(file, OptionalLong.of(Files.size(path)), source);
            }
            try (InputStream in = new GZIPInputStream(file)) {
                return parse(in, OptionalLong.empty(), source);
            } catch (ZipException | EOFException e) {
                throw new TensorFormatException(source, "corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        }
    }

    /** {@code fileSize} is known for a plain file and unknown for a decompressed stream. */
    private static Array parse(InputStream in, OptionalLong fileSize, String source) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new TensorFormatException(source, "is " + magic.length + " bytes, too short for an IDX header");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new TensorFormatException(source, "not an IDX file (it does not start with two zero bytes)");
        }
        int type = magic[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new TensorFormatException(source, "element type 0x" + hex(type) + " (" + typeName(type)
                    + ") is not supported; only 0x08 (unsigned byte) is");
        }
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw new TensorFormatException(source, "has rank 0; an IDX dataset needs at least the sample dimension");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new TensorFormatException(source, "is truncated in its header: rank " + rank + " needs "
                    + 4 * rank + " bytes of dimensions");
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = ((dimBytes[4 * i] & 0xffL) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                    | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
        }
        long needed;
        try {
            needed = Tensor.elementCountOf(dims);
        } catch (IllegalArgumentException e) {
            throw new TensorFormatException(source, "dimensions " + Tensor.formatShape(dims) + " hold more than "
                    + Long.MAX_VALUE + " elements");
        }
        long headerBytes = 4 + 4L * rank;
        if (fileSize.isPresent() && fileSize.getAsLong() - headerBytes != needed) {
            throw sizeMismatch(source, dims, fileSize.getAsLong() - headerBytes, needed);
        }
        if (needed > MAX_BYTES) {
            throw new TensorFormatException(source, "dimensions " + Tensor.formatShape(dims) + " hold " + needed
                    + " bytes; the loader reads at most " + MAX_BYTES);
        }
        // readNBytes reads in chunks, so a false claim of a gzip header costs only what the stream holds.
        byte[] data = in.readNBytes((int) needed);
        if (data.length < needed) {
            throw sizeMismatch(source, dims, data.length, needed);
        }
        if (in.read() != -1) {
            throw new TensorFormatException(source, "has trailing bytes after the " + needed + " bytes that dimensions "
                    + Tensor.formatShape(dims) + " need");
        }
        return new Array(dims, data);
    }

    private static TensorFormatException sizeMismatch(String source, long[] dims, long available, long needed) {
        return new TensorFormatException(source, "data is " + available + " bytes but dimensions "
                + Tensor.formatShape(dims) + " need " + needed
                + (available > needed ? " (trailing bytes after the data)" : " (file is truncated)"));
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit integer";
            case 0x0C -> "32-bit integer";
            case 0x0D -> "32-bit float";
            case 0x0E -> "64-bit float";
            default -> "not an IDX type";
        };
    }
}
