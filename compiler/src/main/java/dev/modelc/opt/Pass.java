package dev.modelc.opt;

import dev.modelc.graph.Graph;

/**
 * One graph-to-graph transformation. A pass is a pure function: it returns a new graph, with ids
 * renumbered densely in node order (so printed text is stable), results in their original order,
 * and each surviving node's {@code origin} kept.
 */
public interface Pass {
    /** A short name, used by golden-test folders and in messages. */
    String name();

    Graph apply(Graph g);
}
