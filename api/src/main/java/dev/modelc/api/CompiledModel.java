package dev.modelc.api;

import dev.modelc.check.TypedModel;
import dev.modelc.check.TypedModel.Kind;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.Op;
import dev.modelc.graph.TensorType;
import dev.modelc.lower.Lowering;
import dev.modelc.opt.Simplifier;
import dev.modelc.runtime.Tensor;
import dev.modelc.runtime.init.Initializers;
import dev.modelc.runtime.io.SafeTensors;
import dev.modelc.runtime.io.TensorFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model compiled for one backend, with its parameters. Entries ({@code output}s, the
 * {@code loss}, {@code metric}s) run on named input tensors; {@link #trainer()} gives the
 * compiled training step. Parameters are set by {@link #initParams} or {@link #loadParams} and
 * updated in place by training. Not thread-safe: use one instance per thread.
 */
public final class CompiledModel {
    private final TypedModel model;
    private final Backend backend;
    private final Map<String, Graph> graphs = new LinkedHashMap<>();
    private final Map<String, Executable> executables = new HashMap<>();
    private final Map<String, TensorSpec> paramSpecs = new LinkedHashMap<>();
    private final Map<String, TypedModel.Member> paramMembers = new HashMap<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    /** The trainer holding the params (possibly newer than {@code params}), or null. */
    private TrainStep holder;

    CompiledModel(TypedModel model, GraphModule graphs, Backend backend) {
        this.model = model;
        this.backend = backend;
        for (var g : graphs.entries()) this.graphs.put(g.name(), g);
        for (var m : model.members()) {
            if (m.kind() == Kind.PARAM || m.kind() == Kind.CONST) {
                paramSpecs.put(m.name(), spec(m.name(), Lowering.memberType(m)));
                paramMembers.put(m.name(), m);
            }
        }
    }

    /** The model's name as declared. */
    public String name() { return model.decl().name(); }

    public Backend backend() { return backend; }

    /** The entries that {@link #run} accepts: outputs, the loss and metrics, in declaration order. */
    public List<String> entries() {
        return graphs.keySet().stream().filter(n -> !n.equals(Lowering.TRAIN_STEP)).toList();
    }

    /** The {@code output} entries. */
    public List<String> outputs() { return membersOf(Kind.OUTPUT); }

    /** The {@code metric} entries. */
    public List<String> metrics() { return membersOf(Kind.METRIC); }

    /** Every {@code input} of the model, in declaration order. */
    public List<TensorSpec> inputs() {
        return model.members().stream().filter(m -> m.kind() == Kind.INPUT).map(m -> spec(m.name(), Lowering.memberType(m))).toList();
    }

    /** The inputs one entry needs. */
    public List<TensorSpec> inputs(String entry) {
        var g = graph(entry);
        var out = new ArrayList<TensorSpec>();
        for (var n : g.inputs()) {
            if (n.op() instanceof Op.Input in && in.role() == Op.Role.INPUT) out.add(spec(in.name(), n.type()));
        }
        return out;
    }

    /** Every {@code param} and {@code const}, in declaration order. */
    public List<TensorSpec> params() { return List.copyOf(paramSpecs.values()); }

    /** The train block's settings, when the model has one. */
    public Optional<TrainingDefaults> trainingDefaults() {
        var t = model.train();
        if (t == null || t.optimizer() == null || !graphs.containsKey(Lowering.TRAIN_STEP)) return Optional.empty();
        return Optional.of(new TrainingDefaults(t.batch(), t.epochs(), t.seed(), t.shuffle(), t.optimizer().fn().decl().name()));
    }

    /** The model's seed: the train block's, or 0. */
    public long seed() { return model.train() == null ? 0 : model.train().seed(); }

    /**
     * Creates every param (and every const with an initialiser) from its initialiser. The values
     * depend only on the seed and each tensor's name, type and initialiser.
     */
    public CompiledModel initParams(long seed) {
        current();
        holder = null; // the next step of any trainer starts from these values
        for (var spec : paramSpecs.values()) {
            var m = paramMembers.get(spec.name());
            if (m.init() == null) continue;
            var init = new dev.modelc.runtime.init.InitSpec(m.init().kind(), m.init().args());
            params.put(spec.name(), Initializers.create(init, spec.dtype(), spec.fixedShape(), seed, spec.name()));
        }
        return this;
    }

    /** {@link #initParams(long)} with the model's own seed. */
    public CompiledModel initParams() { return initParams(seed()); }

    /**
     * Loads params and consts from a safetensors file (one written by {@link #saveParams}, by
     * training, or by another tool). Every tensor must have its declared type; tensors of
     * optimiser state ({@code w1.m}) or training progress ({@code train.*}) are skipped.
     */
    public CompiledModel loadParams(Path file) {
        Map<String, Tensor> loaded;
        try {
            loaded = SafeTensors.read(file);
        } catch (TensorFormatException e) {
            throw new ModelException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
        var missing = new ArrayList<String>();
        for (var spec : paramSpecs.values()) {
            if (!loaded.containsKey(spec.name()) && !params.containsKey(spec.name())) missing.add(spec.name());
        }
        var unknown = loaded.keySet().stream().filter(n -> !paramSpecs.containsKey(n) && !n.contains(".")).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ModelException(file + " holds " + String.join(", ", unknown) + ", which model " + name() + " does not declare");
        }
        if (!missing.isEmpty()) throw new ModelException(file + " lacks " + String.join(", ", missing) + " of model " + name());
        for (var e : loaded.entrySet()) if (paramSpecs.containsKey(e.getKey())) setParam(e.getKey(), e.getValue(), file.toString());
        return this;
    }

    /** Writes every param and const to a safetensors file, atomically. */
    public void saveParams(Path file) {
        requireParams();
        try {
            SafeTensors.write(file, current(), Map.of("modelc.model", name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The current params and consts by name (a read-only view; training updates it). */
    public Map<String, Tensor> paramValues() { return Collections.unmodifiableMap(current()); }

    /** Replaces one param or const; its type must be as declared. */
    public CompiledModel setParam(String name, Tensor value) {
        setParam(name, value, "the given tensor");
        return this;
    }

    /**
     * Runs one entry. Inputs the entry does not need are ignored.
     *
     * @return the entry's value
     * @throws ModelException for an unknown entry, missing params, or a missing or mistyped input
     */
    public Tensor run(String entry, Map<String, Tensor> inputs) {
        if (entry.equals(Lowering.TRAIN_STEP)) throw new ModelException("train_step runs through trainer(), not run()");
        graph(entry);
        requireParams();
        var all = new HashMap<String, Tensor>(inputs);
        all.putAll(current());
        return executable(entry).run(all).get(entry);
    }

    /**
     * The loss and every metric on one batch, from one forward pass (a graph of their own,
     * compiled on first use).
     *
     * @return the loss, then the metrics in declaration order
     * @throws ModelException for a model without a loss, missing params, or a missing or mistyped input
     */
    public Map<String, Double> evaluate(Map<String, Tensor> batch) {
        requireParams();
        var all = new HashMap<String, Tensor>(batch);
        all.putAll(current());
        var exe = executables.computeIfAbsent(Lowering.EVALUATION, e -> Executables.compile(
                Simplifier.standard().apply(Lowering.evaluation(model).orElseThrow(() -> new ModelException("model " + name() + " has no loss to evaluate"))),
                backend));
        var out = exe.run(all);
        var values = new LinkedHashMap<String, Double>();
        values.put("loss", TrainStep.scalar(out.get("loss")));
        for (var m : metrics()) values.put(m, TrainStep.scalar(out.get(m)));
        return values;
    }

    /** The compiled training step, starting from fresh optimiser state; dropout draws from the model's seed. */
    public TrainStep trainer() { return trainer(seed()); }

    /** The compiled training step, starting from fresh optimiser state; dropout draws from {@code seed}. */
    public TrainStep trainer(long seed) {
        trainingDefaults().orElseThrow(() -> new ModelException(
                "model " + name() + " cannot be trained: it has no train block with an optimizer and a loss"));
        requireParams();
        var step = graph(Lowering.TRAIN_STEP);
        var state = new LinkedHashMap<String, Tensor>();
        for (var n : step.inputs()) {
            if (n.op() instanceof Op.Input in && in.role() == Op.Role.STATE && !in.name().equals(Lowering.STEP)) {
                var s = spec(in.name(), n.type());
                state.put(in.name(), Tensor.zeros(s.dtype(), s.fixedShape()));
            }
        }
        var held = new LinkedHashMap<String, Tensor>(current());
        held.putAll(state);
        var trainer = new TrainStep(this, Executables.step(step, backend, held), state, seed);
        holder = trainer;
        return trainer;
    }

    // ---- for TrainStep ----

    /** Makes {@code trainer} the holder of the params, handing it the newest values. */
    void attach(TrainStep trainer) {
        if (holder == trainer) return;
        trainer.pushParams(current());
        holder = trainer;
    }

    /** The params, with the holding trainer's updates pulled in. */
    private Map<String, Tensor> current() {
        if (holder != null) holder.pullParams(params);
        return params;
    }

    // ----

    private Graph graph(String entry) {
        var g = graphs.get(entry);
        if (g == null) throw new ModelException("model " + name() + " has no entry '" + entry + "'; its entries are: " + String.join(", ", entries()));
        return g;
    }

    private Executable executable(String entry) {
        return executables.computeIfAbsent(entry, e -> Executables.compile(graphs.get(e), backend));
    }

    private void requireParams() {
        var missing = paramSpecs.keySet().stream().filter(n -> !params.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new ModelException("model " + name() + " has no value for " + String.join(", ", missing)
                    + ": initialise the params (initParams) or load them (loadParams)");
        }
    }

    private void setParam(String name, Tensor value, String source) {
        var spec = paramSpecs.get(name);
        if (spec == null) throw new ModelException("model " + name() + " has no param or const '" + name + "'");
        if (value.dtype() != spec.dtype() || !Arrays.equals(value.shape(), spec.fixedShape())) {
            throw new ModelException(name + " is declared " + spec.typeText() + " but " + source + " has "
                    + TensorSpec.typeText(value.dtype(), value.shape()));
        }
        current();
        holder = null; // the next step of any trainer starts from this value
        params.put(name, value);
    }

    private List<String> membersOf(Kind kind) {
        return model.members().stream().filter(m -> m.kind() == kind).map(TypedModel.Member::name).toList();
    }

    private static TensorSpec spec(String name, TensorType t) {
        return new TensorSpec(name, t.dtype().toRuntime(), t.shape().stream().map(Object::toString).toList());
    }
}
