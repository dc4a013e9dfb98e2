package dev.modelc.opt;

import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.GraphPrinter;
import dev.modelc.graph.Node;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** How many nodes of each op a graph has, by the op's mnemonic; for before/after reports. */
public record OpCounts(Map<String, Integer> byOp) {
    public OpCounts {
        byOp = java.util.Collections.unmodifiableMap(new TreeMap<>(byOp));
    }

    public static OpCounts of(Graph g) {
        var m = new TreeMap<String, Integer>();
        for (var n : g.nodes()) m.merge(mnemonic(n), 1, Integer::sum);
        return new OpCounts(m);
    }

    public static OpCounts of(GraphModule module) {
        var m = new TreeMap<String, Integer>();
        for (var g : module.entries()) of(g).byOp().forEach((op, k) -> m.merge(op, k, Integer::sum));
        return new OpCounts(m);
    }

    public int count(String op) { return byOp.getOrDefault(op, 0); }

    public int total() { return byOp.values().stream().mapToInt(Integer::intValue).sum(); }

    /** A table with one row per op in either count and a total: {@code op  before  after  change}. */
    public static String table(OpCounts before, OpCounts after) {
        var ops = new TreeSet<>(before.byOp.keySet());
        ops.addAll(after.byOp.keySet());
        int width = Math.max(5, ops.stream().mapToInt(String::length).max().orElse(0));
        var sb = new StringBuilder(String.format("%-" + width + "s %7s %7s %7s%n", "op", "before", "after", "change"));
        for (var op : ops) row(sb, width, op, before.count(op), after.count(op));
        row(sb, width, "total", before.total(), after.total());
        return sb.toString();
    }

    private static void row(StringBuilder sb, int width, String op, int a, int b) {
        sb.append(String.format("%-" + width + "s %7d %7d %+7d%n", op, a, b, b - a));
    }

    /** The op's name as the text form writes it ({@code %3 = reduce_sum[axes=[0]](%2) : …}). */
    private static String mnemonic(Node n) {
        String line = GraphPrinter.line(n);
        int start = line.indexOf(" = ") + 3, end = start;
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) end++;
        return line.substring(start, end);
    }
}
