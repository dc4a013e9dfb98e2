package dev.modelc.resolve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The standard library: {@code std/*.model} resources shipped inside the compiler (module stdlib). */
public final class StdLibrary {
    /** The modules that exist, for "no such module" messages and for documentation. */
    public static final List<String> MODULES = List.of("std.init", "std.losses", "std.nn", "std.optim");

    private StdLibrary() {}

    /** The source of {@code std.x}, or empty when there is no such module. */
    public static Optional<String> source(String dottedName) {
        if (!MODULES.contains(dottedName)) return Optional.empty();
        String path = dottedName.replace('.', '/') + ".model";
        try (InputStream in = StdLibrary.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) return Optional.empty();
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the standard library module " + path, e);
        }
    }
}
