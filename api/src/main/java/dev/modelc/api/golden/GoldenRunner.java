package dev.modelc.api.golden;

import dev.modelc.api.Backend;
import dev.modelc.api.CompileException;
import dev.modelc.api.CompiledModel;
import dev.modelc.api.ModelCompiler;
import dev.modelc.api.ModelException;
import dev.modelc.api.TensorSpec;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs golden cases through the public API: compiles the case's model for a backend, loads
 * {@code params.safetensors} (or initialises the params from the model's seed when there is
 * none), runs every entry that has an expected file on the case's inputs and compares. Whatever
 * goes wrong in a case (it does not compile, an input is missing, the interpreter fails) makes
 * that case fail with a message; it never escapes as an exception.
 */
public final class GoldenRunner {
    private final ModelCompiler compiler;

    public GoldenRunner() { this(ModelCompiler.create()); }

    public GoldenRunner(ModelCompiler compiler) { this.compiler = compiler; }

    /** The outcome of one case on one backend: passed when there are no failures. */
    public record Result(GoldenCase goldenCase, Backend backend, List<String> failures) {
        public Result {
            failures = List.copyOf(failures);
        }

        public boolean passed() { return failures.isEmpty(); }
    }

    /** Runs every expected entry of a case on a backend. */
    public Result run(GoldenCase c, Backend backend) {
        var failures = new ArrayList<String>();
        try {
            var model = load(c, backend);
            var inputs = c.readInputs();
            var expected = c.readExpected();
            var tolerances = c.readTolerances();
            if (expected.isEmpty()) failures.add("no expected outputs in " + c.folder().resolve(GoldenCase.EXPECTED) + " (--update writes them)");
            for (var e : expected.entrySet()) {
                String entry = e.getKey();
                if (!model.entries().contains(entry)) {
                    failures.add(c.expected().get(entry) + ": model " + model.name() + " has no entry '" + entry + "'");
                    continue;
                }
                Tensor actual = evaluate(model, entry, inputs, failures);
                if (actual == null) continue;
                var comparison = Comparison.of(entry, actual, e.getValue(), tolerances.apply(e.getValue().dtype()));
                if (!comparison.passed()) failures.add(comparison.message());
            }
        } catch (CaseFailure | GoldenException f) {
            failures.add(f.getMessage());
        }
        return new Result(c, backend, failures);
    }

    /**
     * What {@code --update} would write for a case: every entry of its model that has an
     * expected file or whose inputs the case has, computed by the reference interpreter and
     * compared with the expected files there now.
     */
    public Update update(GoldenCase c) {
        var failures = new ArrayList<String>();
        var values = new LinkedHashMap<String, Tensor>();
        var changes = new ArrayList<String>();
        var removed = new ArrayList<String>();
        try {
            var model = load(c, Backend.INTERP);
            var inputs = c.readInputs();
            var old = c.readExpected();
            for (String entry : model.entries()) {
                // an entry the case does not check, and has not the inputs for, stays unchecked
                if (!old.containsKey(entry) && !model.inputs(entry).stream().allMatch(i -> inputs.containsKey(i.name()))) continue;
                Tensor value = evaluate(model, entry, inputs, failures);
                if (value == null) continue;
                values.put(entry, value);
                String change = describeChange(entry, value, old.get(entry));
                if (change != null) changes.add(entry + ": " + change);
            }
            for (String entry : old.keySet()) {
                if (!values.containsKey(entry) && failures.isEmpty()) {
                    removed.add(entry);
                    changes.add(entry + ": removed (model " + model.name() + " has no such entry)");
                }
            }
        } catch (CaseFailure | GoldenException f) {
            failures.add(f.getMessage());
        }
        return new Update(c, failures, changes, failures.isEmpty() ? values : Map.of(), removed);
    }

    /**
     * The result of {@link #update}: what changed per entry (empty when nothing did) and the new
     * values; {@link #write} stores them. With failures, nothing is written.
     */
    public record Update(GoldenCase goldenCase, List<String> failures, List<String> changes, Map<String, Tensor> values,
            List<String> removed) {
        public Update {
            failures = List.copyOf(failures);
            changes = List.copyOf(changes);
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            removed = List.copyOf(removed);
        }

        public boolean changed() { return !changes.isEmpty(); }

        /** Writes the changed expected files (atomically, one by one) and deletes those of removed entries. */
        public void write() {
            if (!failures.isEmpty()) throw new IllegalStateException(goldenCase.name() + " failed; nothing to write");
            try {
                Files.createDirectories(goldenCase.folder().resolve(GoldenCase.EXPECTED));
                for (var e : values.entrySet()) {
                    var file = goldenCase.expectedFile(e.getKey());
                    if (!Files.exists(file) || !Npy.read(file).equals(e.getValue())) Npy.write(file, e.getValue());
                }
                for (String entry : removed) Files.deleteIfExists(goldenCase.expectedFile(entry));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update " + goldenCase.folder() + ": " + e.getMessage(), e);
            }
        }
    }

    /** A case that cannot run at all: its message says why. */
    private static final class CaseFailure extends RuntimeException {
        CaseFailure(String message) { super(message, null, false, false); }
    }

    private CompiledModel load(GoldenCase c, Backend backend) {
        CompiledModel model;
        try {
            model = compiler.compile(c.model(), backend);
        } catch (CompileException e) {
            throw new CaseFailure(c.model() + " does not compile:\n" + e.diagnostics().stripTrailing());
        } catch (ModelException e) {
            throw new CaseFailure(e.getMessage());
        }
        try {
            if (c.params().isPresent()) model.loadParams(c.params().get());
            else model.initParams();
            checkInputs(c, model.name(), model.inputs().stream().map(TensorSpec::name).toList());
        } catch (ModelException | GoldenException e) {
            throw new CaseFailure(e.getMessage());
        }
        return model;
    }

    private static void checkInputs(GoldenCase c, String model, List<String> declared) {
        for (String name : c.inputs().keySet()) {
            if (!declared.contains(name)) {
                throw new GoldenException(c.inputs().get(name) + " is not an input of model " + model
                        + (declared.isEmpty() ? ", which has none" : " (its inputs: " + String.join(", ", declared) + ")"));
            }
        }
    }

    /** Runs one entry; on failure adds a message and returns null. */
    private static Tensor evaluate(CompiledModel model, String entry, Map<String, Tensor> inputs, List<String> failures) {
        try {
            return model.run(entry, inputs);
        } catch (ModelException e) {
            String message = e.getMessage();
            failures.add(message.startsWith(entry + ": ") ? message : entry + ": " + message);
        } catch (RuntimeException e) {
            failures.add(entry + ": internal error: " + e);
        }
        return null;
    }

    private static String describeChange(String entry, Tensor now, Tensor before) {
        if (before == null) return "new";
        if (now.equals(before)) return null;
        var c = Comparison.of(entry, now, before, new Tolerance(0, 0));
        if (c.problem() != null) {
            return "was " + before.dtype().displayName() + " " + Tensor.formatShape(before.shape())
                    + ", now " + now.dtype().displayName() + " " + Tensor.formatShape(now.shape());
        }
        if (c.mismatches() == 0) return "same values, different bits (the sign of a zero or a NaN's payload)";
        return String.format(Locale.ROOT, "max abs change %.3g (%d of %d elements)", c.maxAbsDifference(), c.mismatches(), now.elementCount());
    }
}
