package dev.modelc.api.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a case's {@code case.toml}: the small part of TOML that a case needs, strictly. Each line
 * is blank, a {@code #} comment, or {@code key = number} with an optional trailing comment; the
 * keys are {@code rtol} and {@code atol}, each at most once, and their values finite and not
 * negative. Anything else is an error that names the file and line.
 */
final class CaseToml {
    private static final List<String> KEYS = List.of("rtol", "atol");
    private static final Pattern LINE = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*([^#\\s]+)\\s*(#.*)?");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private CaseToml() {}

    /** The keys the file sets and their values. */
    static Map<String, Double> read(Path file) {
        try {
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GoldenException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Double> parse(String file, List<String> lines) {
        var values = new LinkedHashMap<String, Double>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = file + ":" + (i + 1) + ": ";
            var m = LINE.matcher(line);
            if (!m.matches()) throw new GoldenException(where + "expected 'key = number', found '" + line + "'");
            String key = m.group(1);
            if (!KEYS.contains(key)) throw new GoldenException(where + "unknown key '" + key + "'; the keys are " + String.join(", ", KEYS));
            if (values.containsKey(key)) throw new GoldenException(where + key + " is set twice");
            String text = m.group(2);
            if (!NUMBER.matcher(text).matches()) throw new GoldenException(where + key + " must be a number, not '" + text + "'");
            double value = Double.parseDouble(text);
            if (!(value >= 0) || Double.isInfinite(value)) throw new GoldenException(where + key + " must be finite and not negative");
            values.put(key, value);
        }
        return values;
    }
}
