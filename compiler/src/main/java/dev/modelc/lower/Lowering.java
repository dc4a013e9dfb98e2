package dev.modelc.lower;

import dev.modelc.autodiff.Autodiff;
import dev.modelc.check.DType;
import dev.modelc.check.Type;
import dev.modelc.check.TypedModel;
import dev.modelc.check.TypedModel.Kind;
import dev.modelc.check.TypedModel.Member;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphBuilder;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.Op.Role;
import dev.modelc.graph.TensorType;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a checked model to its entry points, each its own graph holding only what it depends
 * on: one per {@code output}, {@code loss}, one per {@code metric}, and {@code train_step}
 * (forward, loss, gradients of every param, and the optimiser's update with its state).
 */
public final class Lowering {
    /** Entry-input names of the training step's bookkeeping; the dot keeps them apart from user names. */
    public static final String STEP = "train.step";
    public static final String KEY = "train.key";
    public static final String TRAIN_STEP = "train_step";
    public static final String EVALUATION = "evaluation";

    private final TypedModel model;
    private final Map<String, Member> members = new LinkedHashMap<>();

    private Lowering(TypedModel model) {
        this.model = model;
        for (var m : model.members()) members.putIfAbsent(m.name(), m);
    }

    public static GraphModule lower(TypedModel model) {
        var l = new Lowering(model);
        var entries = new ArrayList<Graph>();
        for (var m : model.members()) {
            switch (m.kind()) {
                case OUTPUT, LOSS, METRIC -> entries.add(l.entry(m.name()));
                default -> { }
            }
        }
        if (model.train() != null && model.train().optimizer() != null && l.members.containsKey("loss")) entries.add(l.trainStep());
        return new GraphModule(model.decl().name(), entries);
    }

    /**
     * The loss and every metric in one graph (named {@value #EVALUATION}), so evaluating a batch
     * runs the forward pass once; not one of the module's entries. Empty when the model has no loss.
     */
    public static java.util.Optional<Graph> evaluation(TypedModel model) {
        var l = new Lowering(model);
        if (!l.members.containsKey("loss")) return java.util.Optional.empty();
        var e = l.new EntryBuilder(false);
        var results = new ArrayList<Graph.Result>();
        results.add(new Graph.Result("loss", e.member("loss").id()));
        for (var m : model.members()) {
            if (m.kind() == Kind.METRIC) results.add(new Graph.Result(m.name(), e.member(m.name()).id()));
        }
        return java.util.Optional.of(e.b.build(EVALUATION, results));
    }

    /** One entry computing a single member. */
    private Graph entry(String name) {
        var e = new EntryBuilder(false);
        int v = e.member(name).id();
        return e.b.build(name, List.of(new Graph.Result(name, v)));
    }

    private Graph trainStep() {
        var e = new EntryBuilder(true);
        var b = e.b;
        var lossMember = members.get("loss");
        int loss = e.member("loss").id();
        var params = model.members().stream().filter(m -> m.kind() == Kind.PARAM).toList();
        var paramIds = new ArrayList<Integer>();
        for (var p : params) paramIds.add(e.member(p.name()).id());
        var grads = Autodiff.grad(b, loss, paramIds, lossMember.decl().span());
        var opt = model.train().optimizer();
        var results = new ArrayList<Graph.Result>();
        int step = b.input(Role.STATE, STEP, TensorType.scalar(DType.F32));
        for (int i = 0; i < params.size(); i++) {
            var p = params.get(i);
            var inst = opt.updates().get(p.name());
            var decl = inst.fn().decl();
            var type = ExprLowering.typeOf(p.typed().type());
            var given = new HashMap<String, LValue>();
            given.put(decl.params().get(0).name(), new LValue.Value(paramIds.get(i)));
            given.put(decl.params().get(1).name(), new LValue.Value(grads.get(i)));
            given.put(decl.params().get(2).name(), new LValue.Value(b.convert(step, type.dtype())));
            var stateIds = new ArrayList<Integer>();
            for (int s = 0; s < opt.states().size(); s++) {
                int id = b.input(Role.STATE, stateName(p.name(), opt.states().get(s)), type);
                stateIds.add(id);
                given.put(decl.params().get(3 + s).name(), new LValue.Value(id));
            }
            var prior = b.origin(model.train() == null ? null : lossMember.decl().span());
            LValue updated = e.ex.inline(inst, given);
            b.origin(prior);
            var parts = updated instanceof LValue.Tuple t ? t.elements() : List.of(updated);
            results.add(new Graph.Result(p.name(), parts.get(0).id()));
            for (int s = 0; s < opt.states().size(); s++) {
                results.add(new Graph.Result(stateName(p.name(), opt.states().get(s)), parts.get(1 + s).id()));
            }
        }
        results.add(new Graph.Result("loss", loss));
        for (var m : model.members()) {
            if (m.kind() == Kind.METRIC) results.add(new Graph.Result(m.name(), e.member(m.name()).id()));
        }
        return b.build(TRAIN_STEP, results);
    }

    /** The Graph IR type of a tensor member (an input, param or const) as declared. */
    public static TensorType memberType(TypedModel.Member m) { return ExprLowering.typeOf(m.typed().type()); }

    /** The name of an optimiser state tensor in the training step and in checkpoints, e.g. {@code w1.m}. */
    public static String stateName(String param, String state) { return param + "." + state; }

    /** Lowers members on first use into one graph. */
    private final class EntryBuilder {
        final GraphBuilder b = new GraphBuilder();
        final ExprLowering ex;
        final Map<String, LValue> done = new HashMap<>();
        final Context cx;
        private Integer key;

        EntryBuilder(boolean training) {
            ex = new ExprLowering(b, training, () -> {
                if (key == null) key = b.input(Role.KEY, KEY, TensorType.scalar(DType.I64));
                return key;
            });
            cx = new Context(model.types(), model.calls(), this::member);
        }

        LValue member(String name) {
            var v = done.get(name);
            if (v != null) return v;
            var m = members.get(name);
            if (m == null) return null;
            var prior = b.origin(m.decl() instanceof Ast.Member d ? nameSpan(d) : null);
            try {
                v = switch (m.kind()) {
                    case INPUT -> new LValue.Value(b.input(Role.INPUT, name, ExprLowering.typeOf(m.typed().type())));
                    case PARAM -> new LValue.Value(b.input(Role.PARAM, name, ExprLowering.typeOf(m.typed().type())));
                    case CONST -> new LValue.Value(b.input(Role.CONST, name, ExprLowering.typeOf(m.typed().type())));
                    default -> ex.coerce(ex.lower(value(m.decl()), cx), strong(m.typed().type()));
                };
            } finally {
                b.origin(prior);
            }
            done.put(name, v);
            return v;
        }
    }

    private static Type strong(Type t) { return t instanceof Type.Tensor tt ? tt.strong() : t; }

    private static Ast.Expr value(Ast.Member m) {
        return switch (m) {
            case Ast.LetDecl l -> l.value();
            case Ast.OutputDecl o -> o.value();
            case Ast.MetricDecl x -> x.value();
            case Ast.LossDecl l -> l.value();
            default -> throw new IllegalStateException("member without a value: " + m);
        };
    }

    private static dev.modelc.diag.Span nameSpan(Ast.Member m) {
        return switch (m) {
            case Ast.InputDecl i -> i.nameSpan();
            case Ast.ParamDecl p -> p.nameSpan();
            case Ast.ConstDecl c -> c.nameSpan();
            default -> m.span();
        };
    }
}
