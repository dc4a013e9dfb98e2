package dev.modelc.api.golden;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One golden-output test case: {@code NAME.model} next to a folder {@code NAME/} that holds one
 * {@code .npy} per model input (named by the input), optionally {@code params.safetensors}, the
 * expected outputs {@code expected/ENTRY.npy} and optionally {@code case.toml} with the
 * tolerances ({@code rtol}, {@code atol}) where they differ from the defaults of
 * {@link Tolerance#defaultFor}. Other files in the folder (an imported {@code .model}) are
 * ignored.
 *
 * @param name the model file's name without {@code .model}
 * @param expected the expected output files by entry name, sorted
 * @param settings {@code case.toml}, when the case has one
 */
public record GoldenCase(String name, Path model, Path folder, Map<String, Path> inputs, Optional<Path> params,
        Map<String, Path> expected, Optional<Path> settings) {
    public static final String PARAMS = "params.safetensors";
    public static final String EXPECTED = "expected";
    public static final String SETTINGS = "case.toml";
    private static final String MODEL = ".model";
    private static final String NPY = ".npy";

    public GoldenCase {
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        expected = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expected));
    }

    /** The case of a {@code .model} file; its folder must exist. */
    public static GoldenCase of(Path modelFile) {
        String file = modelFile.getFileName().toString();
        if (!file.endsWith(MODEL) || !Files.isRegularFile(modelFile)) {
            throw new GoldenException(modelFile + " is not a .model file");
        }
        String name = file.substring(0, file.length() - MODEL.length());
        Path folder = modelFile.resolveSibling(name);
        if (!Files.isDirectory(folder)) throw new GoldenException(modelFile + " is not a test case: there is no folder " + folder);
        Path toml = folder.resolve(SETTINGS);
        Path params = folder.resolve(PARAMS);
        return new GoldenCase(name, modelFile, folder, npyFiles(folder), Optional.of(params).filter(Files::isRegularFile),
                npyFiles(folder.resolve(EXPECTED)), Optional.of(toml).filter(Files::exists));
    }

    /**
     * The cases a path names: a {@code .model} file is one case; a case's folder is that case; any
     * other folder holds a case for each {@code NAME.model} in it that has a folder {@code NAME/}
     * (not recursively), sorted by name.
     */
    public static List<GoldenCase> discover(Path path) {
        if (Files.isRegularFile(path)) return List.of(of(path));
        if (!Files.isDirectory(path)) throw new GoldenException(path + " does not exist");
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.getFileName() != null) {
            Path model = absolute.resolveSibling(absolute.getFileName() + MODEL);
            if (Files.isRegularFile(model) && Files.isDirectory(path.resolve(EXPECTED))) return List.of(of(model));
        }
        var cases = new ArrayList<GoldenCase>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path model : files.filter(p -> p.getFileName().toString().endsWith(MODEL)).sorted().toList()) {
                String stem = model.getFileName().toString();
                if (Files.isDirectory(path.resolve(stem.substring(0, stem.length() - MODEL.length())))) cases.add(of(model));
            }
        } catch (IOException e) {
            throw new GoldenException("cannot list " + path + ": " + e.getMessage(), e);
        }
        if (cases.isEmpty()) throw new GoldenException("no test cases in " + path + " (a case is NAME.model next to a folder NAME/)");
        return cases;
    }

    /**
     * Reads {@code case.toml}: the tolerance for outputs of each element type is what the file
     * sets, else the type's default.
     */
    public Function<DType, Tolerance> readTolerances() {
        Map<String, Double> set = settings.map(CaseToml::read).orElse(Map.of());
        return dtype -> {
            var d = Tolerance.defaultFor(dtype);
            return new Tolerance(set.getOrDefault("rtol", d.rtol()), set.getOrDefault("atol", d.atol()));
        };
    }

    /** Reads the input tensors. */
    public Map<String, Tensor> readInputs() { return read(inputs); }

    /** Reads the expected outputs. */
    public Map<String, Tensor> readExpected() { return read(expected); }

    /** Where the expected value of an entry is (or would be) stored. */
    public Path expectedFile(String entry) { return folder.resolve(EXPECTED).resolve(entry + NPY); }

    private static Map<String, Tensor> read(Map<String, Path> files) {
        var out = new LinkedHashMap<String, Tensor>();
        for (var e : files.entrySet()) {
            try {
                out.put(e.getKey(), Npy.read(e.getValue()));
            } catch (IOException ex) {
                throw new GoldenException(ex.getMessage().contains(e.getValue().toString())
                        ? ex.getMessage() : "cannot read " + e.getValue() + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** The {@code .npy} files directly in a folder, by name without the extension, sorted; none when the folder is missing. */
    private static Map<String, Path> npyFiles(Path folder) {
        var out = new LinkedHashMap<String, Path>();
        if (!Files.isDirectory(folder)) return out;
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(p -> p.getFileName().toString().endsWith(NPY) && Files.isRegularFile(p)).sorted().forEach(p -> {
                String f = p.getFileName().toString();
                out.put(f.substring(0, f.length() - NPY.length()), p);
            });
        } catch (IOException e) {
            throw new GoldenException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }
}
