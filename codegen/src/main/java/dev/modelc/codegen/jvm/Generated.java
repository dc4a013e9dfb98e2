package dev.modelc.codegen.jvm;

import java.lang.invoke.MethodHandles;

/**
 * The lookup class for defining generated classes as hidden classes: they must be in this
 * package, and this class gives nothing else away.
 */
final class Generated {
    private Generated() {}

    static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
}
