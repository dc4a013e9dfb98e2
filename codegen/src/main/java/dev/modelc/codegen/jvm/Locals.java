package dev.modelc.codegen.jvm;

import dev.modelc.loops.LType;
import java.util.HashMap;
import java.util.Map;

/**
 * The local variable slots of one generated method and the Loop IR names in scope. Slots are
 * never reused, so a slot holds one JVM type throughout the method and frames never merge two
 * types in one slot; methods stay far below the 65535-slot limit.
 */
final class Locals {
    /** A named local: its slot and Loop IR type (a bool vector's mask is always in its canonical species). */
    record Local(int slot, LType type) {}

    private final Map<String, Local> names = new HashMap<>();
    private int next;

    Locals(int firstFree) { this.next = firstFree; }

    /** A new slot for a value of {@code type} (two for a scalar long or double). */
    int allocate(LType type) {
        int slot = next;
        next += type instanceof LType.Vector ? 1 : Kind.of(type).size();
        return slot;
    }

    Local declare(String name, LType type) {
        Local l = new Local(allocate(type), type);
        names.put(name, l);
        return l;
    }

    Local get(String name) {
        Local l = names.get(name);
        if (l == null) throw new IllegalStateException("undefined local " + name);
        return l;
    }

    /** What is in scope now, to {@link #close} a block with. */
    Map<String, Local> open() { return new HashMap<>(names); }

    /** Leaves a block: names declared in it go, names it shadowed come back. */
    void close(Map<String, Local> outer) {
        names.clear();
        names.putAll(outer);
    }
}
