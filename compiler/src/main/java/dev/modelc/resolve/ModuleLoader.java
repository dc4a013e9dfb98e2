package dev.modelc.resolve;

import dev.modelc.diag.Diagnostics;
import dev.modelc.diag.Source;
import dev.modelc.diag.Span;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.SourceParser;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the root file and, depth first, everything it imports: standard modules by name, user
 * files by path relative to the importing file. Each module is parsed once; import cycles,
 * missing files and unknown modules are diagnostics at the import.
 */
public final class ModuleLoader {
    /** Files larger than this are refused before reading: no model source is anywhere near it. */
    public static final long MAX_SOURCE_BYTES = 16L << 20;

    private final Diagnostics diagnostics;
    private final Map<String, ModuleScope> loaded = new LinkedHashMap<>();
    private final List<String> loading = new ArrayList<>();

    public ModuleLoader(Diagnostics diagnostics) { this.diagnostics = diagnostics; }

    /** Loads a file from disk; empty when it cannot be read or parsed. */
    public Optional<Program> load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Optional<String> text = read(file, null, file.toString());
        if (text.isEmpty()) return Optional.empty();
        return loadRoot(key(abs), file.toString(), text.get(), abs.getParent());
    }

    /** Loads source text; its imports resolve relative to {@code dir}. */
    public Optional<Program> load(String name, String text, Path dir) {
        return loadRoot("text:" + name, name, text, dir);
    }

    private Optional<Program> loadRoot(String key, String display, String text, Path dir) {
        var root = loadModule(key, display, text, dir);
        if (root == null) return Optional.empty();
        return Optional.of(new Program(root, List.copyOf(loaded.values())));
    }

    private static String key(Path abs) { return "file:" + abs; }

    private ModuleScope loadModule(String key, String display, String text, Path dir) {
        var source = new Source(display, text);
        var ast = SourceParser.parse(source, diagnostics);
        if (ast.isEmpty()) return null;
        var module = new Module(display, source, ast.get(), dir);
        var scope = new ModuleScope(module);
        loading.add(key);
        for (var fn : ast.get().functions()) scope.define(new FnRef(fn, scope));
        for (var imp : ast.get().imports()) resolveImport(scope, imp);
        loading.remove(loading.size() - 1);
        loaded.put(key, scope);
        return scope;
    }

    private void resolveImport(ModuleScope into, Ast.Import imp) {
        if (imp.file() != null) {
            Path base = into.module().dir() != null ? into.module().dir() : Path.of("").toAbsolutePath();
            Path target;
            try {
                target = base.resolve(imp.file()).toAbsolutePath().normalize();
            } catch (java.nio.file.InvalidPathException bad) {
                diagnostics.error(imp.span(), "import-missing", "cannot import \"" + imp.file() + "\": not a valid file path");
                return;
            }
            var other = loadFile(target, imp, imp.file());
            if (other == null) return;
            into.importAll(other, false);
            String stem = target.getFileName().toString().replaceFirst("\\.model$", "");
            into.qualify(stem, other);
            return;
        }
        String name = imp.moduleName();
        if (!name.startsWith("std.") || imp.module().size() < 2) {
            diagnostics.error(imp.span(), "import-unknown", "no module '" + name + "': modules are imported by name only from"
                    + " the standard library (" + String.join(", ", StdLibrary.MODULES) + "); import a file with import \"path.model\"");
            return;
        }
        var other = loadStd(name, imp);
        if (other == null) return;
        if (imp.wildcard()) into.importAll(other, true);
        else into.qualify(imp.module().get(imp.module().size() - 1), other);
    }

    private ModuleScope loadStd(String name, Ast.Import imp) {
        String key = "std:" + name;
        if (cycle(key, imp)) return null;
        var done = loaded.get(key);
        if (done != null) return done;
        var text = StdLibrary.source(name);
        if (text.isEmpty()) {
            diagnostics.error(imp.span(), "import-unknown", "no module '" + name + "' in the standard library (it has "
                    + String.join(", ", StdLibrary.MODULES) + ")");
            return null;
        }
        return loadModule(key, name, text.get(), null);
    }

    private ModuleScope loadFile(Path target, Ast.Import imp, String written) {
        String key = key(target);
        if (cycle(key, imp)) return null;
        var done = loaded.get(key);
        if (done != null) return done;
        var text = read(target, imp.span(), written);
        if (text.isEmpty()) return null;
        String display = Path.of("").toAbsolutePath().relativize(target).toString();
        return loadModule(key, display.startsWith("..") ? target.toString() : display, text.get(), target.getParent());
    }

    private boolean cycle(String key, Ast.Import imp) {
        int at = loading.indexOf(key);
        if (at < 0) return false;
        var chain = new ArrayList<String>();
        for (String k : loading.subList(at, loading.size())) chain.add(shortName(k));
        chain.add(shortName(key));
        diagnostics.error(imp.span(), "import-cycle", "import cycle: " + String.join(" -> ", chain));
        return true;
    }

    private static String shortName(String key) {
        String s = key.substring(key.indexOf(':') + 1);
        int slash = s.lastIndexOf('/');
        return slash >= 0 ? s.substring(slash + 1) : s;
    }

    /** Reads UTF-8 text; a missing, oversized or undecodable file is a diagnostic at {@code at} (or a file-level one). */
    private Optional<String> read(Path file, Span at, String written) {
        try {
            if (!Files.isRegularFile(file)) {
                report(at, written, "import-missing", Files.exists(file) ? "is not a regular file" : "no such file");
                return Optional.empty();
            }
            if (Files.size(file) > MAX_SOURCE_BYTES) {
                report(at, written, "source-too-large", "is larger than " + (MAX_SOURCE_BYTES >> 20) + " MiB");
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            var in = ByteBuffer.wrap(bytes);
            var out = java.nio.CharBuffer.allocate(bytes.length + 1);
            var result = decoder.decode(in, out, true);
            if (result.isError()) {
                // Point at the first bad byte, on the line as far as it decodes.
                String prefix = out.flip().toString();
                String shown = prefix + new String(bytes, in.position(), bytes.length - in.position(), StandardCharsets.UTF_8);
                var src = new Source(written, shown);
                diagnostics.error(Span.of(src, prefix.length(), prefix.length() + 1), "source-encoding",
                        "the file is not valid UTF-8: byte 0x" + String.format("%02X", bytes[in.position()] & 0xff)
                                + " at offset " + in.position());
                return Optional.empty();
            }
            String text = out.flip().toString();
            return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException e) {
            report(at, written, "source-unreadable", "cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    private void report(Span at, String written, String code, String what) {
        if (at != null) {
            diagnostics.error(at, code, "cannot import \"" + written + "\": " + what);
        } else {
            var src = new Source(written, "");
            diagnostics.error(Span.of(src, 0, 0), code, what.equals("no such file") ? "no such file" : "the file " + what);
        }
    }
}
