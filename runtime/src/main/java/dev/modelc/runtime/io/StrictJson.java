package dev.modelc.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for safetensors headers, written by hand so the runtime needs no
 * library. Objects become insertion-ordered {@code Map<String, Object>}, arrays
 * {@code List<Object>}, strings {@code String}, integers {@code Long}, {@code true/false}
 * {@code Boolean} and {@code null} null.
 *
 * <p>Stricter than RFC 8259 where a header never needs the freedom: duplicate keys, nesting
 * deeper than {@value #MAX_DEPTH}, integers outside a long, fractions and exponents, lone
 * surrogates and anything after the value but whitespace are all errors.
 */
final class StrictJson {
    static final int MAX_DEPTH = 64;

    private final String text;
    private final String source;
    private int pos;

    private StrictJson(String text, String source) {
        this.text = text;
        this.source = source;
    }

    static Object parse(String text, String source) throws TensorFormatException {
        StrictJson parser = new StrictJson(text, source);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected characters after the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws TensorFormatException {
        char c = peek();
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + printable(c) + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) throws TensorFormatException {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            if (members.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(key, value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws TensorFormatException {
        checkDepth(depth);
        pos++; // '['
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws TensorFormatException {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = peek();
            pos++;
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char escape = peek();
            pos++;
            switch (escape) {
                case '"', '\\', '/' -> sb.append(escape);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + printable(escape) + "'");
                }
            }
        }
        String s = sb.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("string contains an unpaired surrogate");
            }
        }
        return s;
    }

    private char hex4() throws TensorFormatException {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("invalid \\u escape");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private Long number() throws TensorFormatException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsStart = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        int digits = pos - digitsStart;
        if (digits == 0) {
            throw error("expected a digit");
        }
        if (digits > 1 && text.charAt(digitsStart) == '0') {
            pos = digitsStart;
            throw error("number has a leading zero");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error("only integers are allowed here");
        }
        // 19 digits can still overflow a long, which parseLong reports; more are never parsed.
        if (digits > 19) {
            pos = start;
            throw error("number is too large");
        }
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("number is too large");
        }
    }

    private Object literal(String word, Object value) throws TensorFormatException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character '" + printable(text.charAt(pos)) + "'");
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) throws TensorFormatException {
        if (depth > MAX_DEPTH) {
            throw error("JSON is nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() throws TensorFormatException {
        if (pos >= text.length()) {
            throw error("header JSON ends early");
        }
        return text.charAt(pos);
    }

    private void expect(char c) throws TensorFormatException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private TensorFormatException error(String problem) {
        return new TensorFormatException(source, "bad header JSON at offset " + pos + ": " + problem);
    }
}
