package dev.modelc.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of a {@code .npy} file, e.g.
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}.
 *
 * <p>NumPy writes it as a Python literal; this is a small strict parser for exactly the literals
 * that can appear there (quoted strings, {@code True}/{@code False}, tuples of non-negative
 * integers), never an evaluator. Anything else is a {@link TensorFormatException}.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    /** NumPy pads the header so that a later size change can rewrite it in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Digits in Long.MAX_VALUE; longer runs are rejected before parsing. */
    private static final int MAX_DIGITS = 19;

    /** The dictionary exactly as {@code numpy.save} prints it, before padding. */
    String format() {
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        sb.append(shape.length == 1 ? ",)" : ")").append(", }");
        if (shape.length > 0) {
            sb.repeat(' ', GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[fortranOrder ? shape.length - 1 : 0]).length());
        }
        return sb.toString();
    }

    static NpyHeader parse(String text, String source) throws TensorFormatException {
        return new Parser(text, source).header();
    }

    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        NpyHeader header() throws TensorFormatException {
            Map<String, Object> dict = dict();
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the header dictionary");
            }
            for (String key : dict.keySet()) {
                if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                    throw error("unexpected header key '" + key + "'");
                }
            }
            if (!(dict.get("descr") instanceof String descr)) {
                throw error(dict.containsKey("descr") ? "'descr' must be a string (structured dtypes are not supported)"
                        : "header has no 'descr'");
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
                throw error(dict.containsKey("fortran_order") ? "'fortran_order' must be True or False"
                        : "header has no 'fortran_order'");
            }
            if (!(dict.get("shape") instanceof long[] shape)) {
                throw error(dict.containsKey("shape") ? "'shape' must be a tuple of integers" : "header has no 'shape'");
            }
            return new NpyHeader(descr, fortran, shape);
        }

        private Map<String, Object> dict() throws TensorFormatException {
            skipSpace();
            expect('{');
            Map<String, Object> dict = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return dict;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (dict.put(key, value) != null) {
                    throw error("duplicate header key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}' at offset " + pos);
                }
            }
        }

        private Object value() throws TensorFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("unsupported value at offset " + pos);
        }

        private long[] tuple() throws TensorFormatException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                dims.add(dimension());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in shape at offset " + pos);
                } else if (dims.size() == 1) {
                    // Python's (3) is the integer 3, not a tuple; only (3,) is.
                    throw error("'shape' must be a tuple; (n) needs a trailing comma");
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private long dimension() throws TensorFormatException {
            if (peek() == '-') {
                throw error("shape has a negative dimension");
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == start) {
                throw error("expected a dimension at offset " + pos);
            }
            try {
                if (pos - start <= MAX_DIGITS) {
                    return Long.parseLong(text, start, pos, 10);
                }
            } catch (NumberFormatException e) {
                // too large for a long: reported below
            }
            throw error("shape dimension " + text.substring(start, Math.min(pos, start + 40)) + " is too large");
        }

        private String string() throws TensorFormatException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string at offset " + pos);
            }
            int start = ++pos;
            while (pos < text.length() && text.charAt(pos) != quote) {
                // NumPy never writes escapes in these strings; refusing them keeps this a literal reader.
                if (text.charAt(pos) == '\\' || text.charAt(pos) == '\n') {
                    throw error("unsupported character in string at offset " + pos);
                }
                pos++;
            }
            if (pos == text.length()) {
                throw error("unterminated string");
            }
            return text.substring(start, pos++);
        }

        private void skipSpace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\n'
                    || text.charAt(pos) == '\t' || text.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private char peek() throws TensorFormatException {
            if (pos >= text.length()) {
                throw error("header dictionary ends early");
            }
            return text.charAt(pos);
        }

        private void expect(char c) throws TensorFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        private TensorFormatException error(String problem) {
            return new TensorFormatException(source, "bad .npy header: " + problem + " in " + quoted());
        }

        /** The header in messages, cut short so a hostile header cannot flood the log. */
        private String quoted() {
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            return "\"" + shown.strip().replace("\n", "\\n") + "\"";
        }
    }
}
