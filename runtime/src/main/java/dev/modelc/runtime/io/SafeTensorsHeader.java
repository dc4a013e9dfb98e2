package dev.modelc.runtime.io;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A validated header: entries in header order, offsets already checked against the file. */
record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    /** The limit the reference implementation applies. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");
    private static final ValueLayout.OfLong HEADER_SIZE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    static SafeTensorsHeader parse(MemorySegment file, String source) throws TensorFormatException {
        long size = file.byteSize();
        if (size < 8) {
            throw new TensorFormatException(source, "file is " + size + " bytes, too short for the 8-byte header size");
        }
        long n = file.get(HEADER_SIZE, 0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new TensorFormatException(source, "header size " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n > size - 8) {
            throw new TensorFormatException(source, "header size " + n + " is larger than the "
                    + (size - 8) + " bytes after the size field");
        }
        byte[] raw = file.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        if (n == 0 || raw[0] != '{') {
            throw new TensorFormatException(source, "header does not start with '{'");
        }
        Object json = StrictJson.parse(decodeUtf8(raw, source), source);
        if (!(json instanceof Map<?, ?> root)) {
            throw new TensorFormatException(source, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        long bufferSize = size - dataStart;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> member : root.entrySet()) {
            String name = (String) member.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(member.getValue(), source);
            } else {
                entries.add(entry(name, member.getValue(), bufferSize, source));
            }
        }
        checkContiguous(entries, bufferSize, source);
        return new SafeTensorsHeader(List.copyOf(entries), metadata, dataStart);
    }

    private static String decodeUtf8(byte[] raw, String source) throws TensorFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TensorFormatException(source, "header is not valid UTF-8");
        }
    }

    private static Map<String, String> metadata(Object value, String source) throws TensorFormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new TensorFormatException(source, "\"__metadata__\" must be an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw new TensorFormatException(source, "\"__metadata__\" value for \"" + m.getKey()
                        + "\" must be a string");
            }
            metadata.put((String) m.getKey(), s);
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry entry(String name, Object value, long bufferSize, String source)
            throws TensorFormatException {
        String where = "tensor '" + name + "': ";
        if (!(value instanceof Map<?, ?> fields)) {
            throw new TensorFormatException(source, where + "entry must be a JSON object");
        }
        for (Object key : fields.keySet()) {
            if (!ENTRY_KEYS.contains(key)) {
                throw new TensorFormatException(source, where + "unexpected field \"" + key + "\"");
            }
        }
        if (!(fields.get("dtype") instanceof String dtypeName)) {
            throw new TensorFormatException(source, where + "\"dtype\" must be a string");
        }
        DType dtype = DType.fromSafetensorsName(dtypeName).orElseThrow(() -> new TensorFormatException(source,
                where + "unsupported dtype \"" + dtypeName + "\" (supported: "
                        + Arrays.stream(DType.values()).map(DType::safetensorsName).collect(Collectors.joining(", "))
                        + ")"));
        long[] shape = longs(fields.get("shape"), where + "\"shape\"", source);
        long[] offsets = longs(fields.get("data_offsets"), where + "\"data_offsets\"", source);
        if (offsets.length != 2) {
            throw new TensorFormatException(source, where + "\"data_offsets\" must be [begin, end]");
        }
        long needed;
        try {
            needed = Tensor.byteSizeOf(dtype, shape);
        } catch (IllegalArgumentException e) {
            throw new TensorFormatException(source, where + e.getMessage());
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new TensorFormatException(source, where + "data_offsets [" + begin + ", " + end
                    + "] end before they begin");
        }
        if (end > bufferSize) {
            throw new TensorFormatException(source, where + "data_offsets [" + begin + ", " + end
                    + "] lie outside the " + bufferSize + "-byte data buffer");
        }
        if (end - begin != needed) {
            throw new TensorFormatException(source, where + "data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + Tensor.formatShape(shape) + " of "
                    + dtype.displayName() + " needs " + needed);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers. */
    private static long[] longs(Object value, String what, String source) throws TensorFormatException {
        if (!(value instanceof List<?> list)) {
            throw new TensorFormatException(source, what + " must be an array of integers");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) {
                throw new TensorFormatException(source, what + " must hold non-negative integers, found "
                        + list.get(i));
            }
            out[i] = l;
        }
        return out;
    }

    /** The specification requires the tensors to tile the data buffer exactly. */
    private static void checkContiguous(List<Entry> entries, long bufferSize, String source)
            throws TensorFormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw new TensorFormatException(source, "tensor '" + e.name() + "': data_offsets [" + e.begin()
                        + ", " + e.end() + "] overlap tensor '" + previous + "'");
            }
            if (e.begin() > covered) {
                throw new TensorFormatException(source, "tensor '" + e.name() + "': data_offsets [" + e.begin()
                        + ", " + e.end() + "] leave a gap: bytes [" + covered + ", " + e.begin()
                        + ") belong to no tensor");
            }
            covered = e.end();
            previous = e.name();
        }
        if (covered != bufferSize) {
            throw new TensorFormatException(source, "data buffer is " + bufferSize + " bytes but the tensors cover "
                    + covered + " (trailing bytes or a truncated header)");
        }
    }
}
