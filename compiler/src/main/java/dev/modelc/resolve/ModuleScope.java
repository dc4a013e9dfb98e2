package dev.modelc.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names one module sees: its own functions, those it imported unqualified, and module
 * qualifiers ({@code nn} after {@code import std.nn}). Function names may be overloaded.
 * A module exports its own functions and everything it imported with {@code .*}.
 */
public final class ModuleScope {
    private final Module module;
    private final Map<String, List<FnRef>> own = new LinkedHashMap<>();
    private final Map<String, List<FnRef>> visible = new LinkedHashMap<>();
    private final Map<String, List<FnRef>> exported = new LinkedHashMap<>();
    private final Map<String, ModuleScope> qualifiers = new LinkedHashMap<>();

    ModuleScope(Module module) { this.module = module; }

    public Module module() { return module; }

    void define(FnRef fn) {
        add(own, fn);
        add(visible, fn);
        add(exported, fn);
    }

    void importAll(ModuleScope other, boolean reexport) {
        for (var fns : other.exported.values()) {
            for (var fn : fns) {
                add(visible, fn);
                if (reexport) add(exported, fn);
            }
        }
    }

    void qualify(String alias, ModuleScope other) { qualifiers.put(alias, other); }

    private static void add(Map<String, List<FnRef>> map, FnRef fn) {
        var list = map.computeIfAbsent(fn.decl().name(), k -> new ArrayList<>());
        if (!list.contains(fn)) list.add(fn);
    }

    /** Overloads visible unqualified under {@code name}; empty when none. */
    public List<FnRef> lookup(String name) { return visible.getOrDefault(name, List.of()); }

    /** Overloads exported under {@code name}. */
    public List<FnRef> exported(String name) { return exported.getOrDefault(name, List.of()); }

    public ModuleScope qualifier(String alias) { return qualifiers.get(alias); }

    public Map<String, List<FnRef>> ownFunctions() { return own; }

    public java.util.Set<String> visibleNames() { return visible.keySet(); }
}
