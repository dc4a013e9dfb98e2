package dev.modelc.graph;

import java.util.List;
import java.util.Optional;

/** Every entry point of one model: each output, the loss, each metric, and the training step. */
public record GraphModule(String model, List<Graph> entries) {
    public GraphModule {
        entries = List.copyOf(entries);
    }

    public Optional<Graph> entry(String name) {
        return entries.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public List<String> entryNames() { return entries.stream().map(Graph::name).toList(); }
}
