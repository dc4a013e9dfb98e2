package dev.modelc.runtime.io;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), as described in
 * {@code numpy/lib/format.py}: a magic string, a version, a header length, a Python-literal
 * header dictionary, then the raw elements.
 *
 * <p>Reading accepts float32, float64, int32, int64, bool and float16 in either byte order.
 * Fortran-order files are accepted only when at most one dimension exceeds 1 (then the two
 * orders lay out the same bytes); any other Fortran-order file is rejected rather than
 * transposed. Writing produces what {@code numpy.save} produces for a C-order little-endian
 * array: version 1.0 (2.0 if the header outgrows 64 KiB) with the header padded by spaces and
 * a final newline so that the data starts at a multiple of 64 bytes.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy's ARRAY_ALIGN: data starts at a multiple of this. */
    private static final int ALIGN = 64;
    /** Far above any real header (NumPy itself refuses more than 10000 bytes by default). */
    private static final long MAX_HEADER_BYTES = 1 << 20;

    private Npy() {}

    // ---- reading ---------------------------------------------------------------------------

    public static Tensor read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            // Mapping costs nothing up front, and every length is checked against the real file
            // size before anything is allocated.
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return parse(file, path.toString());
        }
    }

    /** Reads a whole stream; {@code sourceName} names it in error messages. */
    public static Tensor read(InputStream in, String sourceName) throws IOException {
        return read(in.readAllBytes(), sourceName);
    }

    /** Reads the bytes of a .npy file; {@code sourceName} names it in error messages. */
    public static Tensor read(byte[] bytes, String sourceName) throws TensorFormatException {
        return parse(MemorySegment.ofArray(bytes), sourceName);
    }

    private static Tensor parse(MemorySegment file, String source) throws TensorFormatException {
        long size = file.byteSize();
        if (size < MAGIC.length + 2 || file.asSlice(0, MAGIC.length).mismatch(MemorySegment.ofArray(MAGIC)) != -1) {
            throw new TensorFormatException(source, "not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = file.get(ValueLayout.JAVA_BYTE, 6) & 0xff;
        int minor = file.get(ValueLayout.JAVA_BYTE, 7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new TensorFormatException(source, "unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        long headerStart = 8 + lengthBytes;
        if (size < headerStart) {
            throw new TensorFormatException(source, "file is " + size + " bytes, too short for a version "
                    + major + ".0 header length");
        }
        long headerLength = major == 1
                ? file.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xffffL
                : file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xffffffffL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new TensorFormatException(source, "header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > size - headerStart) {
            throw new TensorFormatException(source, "header length " + headerLength + " is larger than the "
                    + (size - headerStart) + " bytes left in the file");
        }
        byte[] headerBytes = file.asSlice(headerStart, headerLength).toArray(ValueLayout.JAVA_BYTE);
        NpyHeader header = NpyHeader.parse(decodeHeader(headerBytes, major, source), source);

        ElementType type = elementType(header.descr(), source);
        long[] shape = header.shape();
        long needed;
        try {
            needed = Tensor.byteSizeOf(type.dtype(), shape);
        } catch (IllegalArgumentException e) {
            throw new TensorFormatException(source, e.getMessage());
        }
        if (header.fortranOrder() && Arrays.stream(shape).filter(d -> d > 1).count() > 1) {
            throw new TensorFormatException(source, "Fortran-order arrays are not supported; save a C-order "
                    + "array (numpy.ascontiguousarray) instead");
        }
        long dataStart = headerStart + headerLength;
        long available = size - dataStart;
        if (available != needed) {
            throw new TensorFormatException(source, "data is " + available + " bytes but shape "
                    + Tensor.formatShape(shape) + " of " + type.dtype().displayName() + " needs " + needed
                    + (available > needed ? " (trailing bytes after the array)" : " (file is truncated)"));
        }
        try {
            return Tensor.fromBytes(type.dtype(), shape, file.asSlice(dataStart, needed), type.order());
        } catch (IllegalArgumentException e) {
            throw new TensorFormatException(source, e.getMessage());
        }
    }

    private static String decodeHeader(byte[] bytes, int major, String source) throws TensorFormatException {
        if (major < 3) {
            return new String(bytes, StandardCharsets.ISO_8859_1); // what NumPy uses for 1.0 and 2.0
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TensorFormatException(source, "version 3.0 header is not valid UTF-8");
        }
    }

    private record ElementType(DType dtype, ByteOrder order) {}

    /** Maps a descr such as {@code <f4} or {@code >i8} to a dtype and the byte order on disk. */
    private static ElementType elementType(String descr, String source) throws TensorFormatException {
        if (descr.equals("|b1")) {
            return new ElementType(DType.BOOL, ByteOrder.LITTLE_ENDIAN);
        }
        if (descr.length() > 1 && (descr.charAt(0) == '<' || descr.charAt(0) == '>')) {
            String littleEndian = "<" + descr.substring(1);
            for (DType t : DType.values()) {
                if (t != DType.BOOL && t.npyDescr().orElse("").equals(littleEndian)) {
                    return new ElementType(t, descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                }
            }
        }
        String supported = Arrays.stream(DType.values())
                .flatMap(t -> t.npyDescr().stream())
                .collect(Collectors.joining(", "));
        throw new TensorFormatException(source, "unsupported dtype '" + descr + "' (supported: " + supported
                + ", and '>' big-endian forms)");
    }

    // ---- writing ---------------------------------------------------------------------------

    /** Writes atomically: readers see the old file or the whole new one. */
    public static void write(Path path, Tensor tensor) throws IOException {
        byte[] header = headerBytes(tensor, path.toString());
        AtomicFileWrite.write(path, out -> writeTo(out, header, tensor));
    }

    public static void write(OutputStream out, Tensor tensor) throws IOException {
        writeTo(Channels.newChannel(out), headerBytes(tensor, "<stream>"), tensor);
        out.flush();
    }

    /** The complete file as bytes, for tensors that fit in a Java array. */
    public static byte[] toBytes(Tensor tensor) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, tensor);
        return out.toByteArray();
    }

    private static void writeTo(WritableByteChannel out, byte[] header, Tensor tensor) throws IOException {
        AtomicFileWrite.writeFully(out, ByteBuffer.wrap(header));
        AtomicFileWrite.writeFully(out, tensor.segment());
    }

    /** Magic, version, length and padded dictionary, laid out as numpy.save lays them out. */
    private static byte[] headerBytes(Tensor tensor, String target) throws TensorFormatException {
        String descr = tensor.dtype().npyDescr().orElseThrow(() -> new TensorFormatException(target,
                tensor.dtype().displayName() + " has no .npy dtype; use safetensors"));
        String dict = new NpyHeader(descr, false, tensor.shape()).format();
        int major = 1;
        int dictLength = dict.length() + 1; // the final '\n'
        int padding = ALIGN - (8 + 2 + dictLength) % ALIGN;
        if (dictLength + padding > 0xffff) {
            major = 2;
            padding = ALIGN - (8 + 4 + dictLength) % ALIGN;
        }
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer out = ByteBuffer.allocate(8 + lengthBytes + dictLength + padding).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) (dictLength + padding));
        } else {
            out.putInt(dictLength + padding);
        }
        out.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        out.put(" ".repeat(padding).getBytes(StandardCharsets.ISO_8859_1)).put((byte) '\n');
        return out.array();
    }
}
