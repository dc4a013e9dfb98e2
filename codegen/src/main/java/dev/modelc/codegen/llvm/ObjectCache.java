package dev.modelc.codegen.llvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Object code compiled in process, kept in memory (the most recent {@link #IN_MEMORY}) and on
 * disk under {@code $XDG_CACHE_HOME/modelc/llvm} (or {@code ~/.cache/modelc/llvm}; the system
 * property {@code modelc.cache.dir} overrides, {@code modelc.cache=false} turns the disk cache
 * off). The key is a SHA-256 of the unoptimised module's text, the target and {@link #FORMAT}:
 * the same IR for the same CPU gives the same code, and a change to the emitter or to LLVM's
 * optimiser changes the text or the format. Unreadable or damaged entries are recompiled;
 * entries are written to a temporary file and renamed, so a reader never sees half of one.
 */
final class ObjectCache {
    private ObjectCache() {}

    /** Bump when the code made from the same IR would differ (pass pipeline, LLVM version, options). */
    private static final String FORMAT = "modelc-llvm-object 1; llvm 20.1.7; default<O3>; pic";

    private static final int IN_MEMORY = 32;

    private static final Map<String, byte[]> MEMORY = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) { return size() > IN_MEMORY; }
    };

    static String key(LlvmTarget target, String irText) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update((FORMAT + "\n" + target + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(irText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached object for {@code key}, or null. */
    static synchronized byte[] find(String key) {
        byte[] object = MEMORY.get(key);
        if (object != null) return object;
        Path dir = directory();
        if (dir == null) return null;
        try {
            object = Files.readAllBytes(dir.resolve(key + ".o"));
        } catch (IOException e) {
            return null;
        }
        if (!isElf(object)) return null;
        MEMORY.put(key, object);
        return object;
    }

    /** Drops an entry from memory (not from disk): for tests of the disk cache. */
    static synchronized void forget(String key) { MEMORY.remove(key); }

    static synchronized void put(String key, byte[] object) {
        MEMORY.put(key, object);
        Path dir = directory();
        if (dir == null) return;
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, key, ".tmp");
            try {
                Files.write(temp, object);
                Files.move(temp, dir.resolve(key + ".o"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // a cache that cannot be written only costs the next run a compilation
        }
    }

    /** The disk cache's directory, or null when it is off. */
    static Path directory() {
        if (!Boolean.parseBoolean(System.getProperty("modelc.cache", "true"))) return null;
        String dir = System.getProperty("modelc.cache.dir");
        if (dir != null) return Path.of(dir);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("modelc").resolve("llvm");
    }

    private static boolean isElf(byte[] b) { return b.length > 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F'; }
}
