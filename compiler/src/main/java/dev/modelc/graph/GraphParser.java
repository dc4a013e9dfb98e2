package dev.modelc.graph;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the text form written by {@link GraphPrinter}. Errors name the line. */
public final class GraphParser {
    private GraphParser() {}

    public static GraphModule parseModule(String text) {
        var lines = text.lines().toList();
        String model = null;
        var entries = new ArrayList<Graph>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            if (l.startsWith("model ") && model == null) {
                model = l.substring(6).strip();
            } else if (l.startsWith("entry ")) {
                int end = i;
                while (end < lines.size() && !lines.get(end).strip().equals("}")) end++;
                if (end == lines.size()) throw error(i, "entry without a closing '}'");
                entries.add(parse(lines.subList(i, end + 1), i));
                i = end;
            } else {
                throw error(i, "expected 'model NAME' or 'entry NAME {', found '" + l + "'");
            }
        }
        if (model == null) throw new IllegalArgumentException("graph text has no 'model NAME' line");
        return new GraphModule(model, entries);
    }

    public static Graph parse(String text) { return parse(text.strip().lines().toList(), 0); }

    private static Graph parse(List<String> lines, int first) {
        String head = lines.get(0).strip();
        if (!head.startsWith("entry ") || !head.endsWith("{")) throw error(first, "expected 'entry NAME {'");
        String name = head.substring(6, head.length() - 1).strip();
        var nodes = new ArrayList<Node>();
        var results = new ArrayList<Graph.Result>();
        for (int i = 1; i < lines.size() - 1; i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            try {
                if (l.startsWith("return")) {
                    for (String part : l.substring(6).split(",")) {
                        if (part.isBlank()) continue;
                        String[] kv = part.split("=");
                        results.add(new Graph.Result(kv[0].strip(), value(kv[1].strip())));
                    }
                } else {
                    nodes.add(node(l));
                }
            } catch (RuntimeException e) {
                throw error(first + i, e.getMessage() + ": " + l);
            }
        }
        return new Graph(name, nodes, results);
    }

    private static Node node(String l) {
        int eq = l.indexOf(" = ");
        int id = value(l.substring(0, eq).strip());
        String rest = l.substring(eq + 3);
        int colon = rest.lastIndexOf(" : ");
        TensorType type = type(rest.substring(colon + 3).strip());
        String call = rest.substring(0, colon).strip();
        int i = 0;
        while (i < call.length() && (Character.isLetterOrDigit(call.charAt(i)) || call.charAt(i) == '_')) i++;
        String mnemonic = call.substring(0, i);
        var attrs = new LinkedHashMap<String, String>();
        if (i < call.length() && call.charAt(i) == '[') {
            int close = closing(call, i);
            attrs.putAll(attributes(call.substring(i + 1, close)));
            i = close + 1;
        }
        var inputs = new ArrayList<Integer>();
        if (i < call.length() && call.charAt(i) == '(') {
            if (!call.endsWith(")")) throw new IllegalArgumentException("missing ')'");
            for (String v : call.substring(i + 1, call.length() - 1).split(",")) if (!v.isBlank()) inputs.add(value(v.strip()));
        } else if (i != call.length()) {
            throw new IllegalArgumentException("unexpected text after '" + mnemonic + "'");
        }
        return new Node(id, OpText.parse(mnemonic, attrs, type), inputs, type);
    }

    private static int closing(String s, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) { i++; continue; }
            if (c == '"') quoted = !quoted;
            if (quoted) continue;
            if (c == '[') depth++;
            if (c == ']' && --depth == 0) return i;
        }
        throw new IllegalArgumentException("missing ']'");
    }

    /** Splits {@code a=1, b=[1, 2], c="x"} at the commas between attributes. */
    private static Map<String, String> attributes(String body) {
        var out = new LinkedHashMap<String, String>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            char c = i < body.length() ? body.charAt(i) : ',';
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            if (c == '"') quoted = true;
            else if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ',' && depth == 0) {
                String part = body.substring(start, i).strip();
                int eq = part.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("attribute without '='");
                out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
                start = i + 1;
            }
        }
        return out;
    }

    private static int value(String s) {
        if (!s.startsWith("%")) throw new IllegalArgumentException("expected a value like %3, found '" + s + "'");
        return Integer.parseInt(s.substring(1));
    }

    static TensorType type(String s) {
        int open = s.indexOf('[');
        if (open < 0 || !s.endsWith("]")) throw new IllegalArgumentException("bad type '" + s + "'");
        DType d = DType.parse(s.substring(0, open)).orElseThrow(() -> new IllegalArgumentException("unknown element type in '" + s + "'"));
        String body = s.substring(open + 1, s.length() - 1).strip();
        var shape = new ArrayList<DimExpr>();
        if (!body.isEmpty()) for (String part : body.split(",")) shape.add(DimText.parse(part.strip()));
        return new TensorType(d, shape);
    }

    private static IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException("line " + (line + 1) + ": " + message);
    }
}
