package dev.modelc.codegen.llvm;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.check.TypedModel;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.Graph;
import dev.modelc.graph.GraphModule;
import dev.modelc.graph.Op;
import dev.modelc.loops.LoopLowering;
import dev.modelc.loops.LoopProgram;
import dev.modelc.lower.Lowering;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model as its native library presents it: the tensors an instance holds between calls
 * (params, consts, optimiser state, the step counter and dropout key), and each entry's Loop IR
 * program with the caller's arguments (the model's inputs, in declaration order) and results.
 */
record NativeModel(String name, String cName, long seed, List<Resident> residents, List<Entry> entries) {
    enum Role { PARAM, CONST, STATE, STEP, KEY }

    record Resident(String name, DType dtype, long[] shape, Role role) {
        long count() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** An entry; {@code scalars} are a training step's loss and metrics, returned as doubles. */
    record Entry(String name, LoopProgram program, List<String> arguments, List<String> outputs, List<String> scalars,
                 boolean trainStep) {}

    static NativeModel of(TypedModel model, GraphModule graphs) {
        String name = model.decl().name();
        var residents = new LinkedHashMap<String, Resident>();
        for (var m : model.members()) {
            if (m.kind() != TypedModel.Kind.PARAM && m.kind() != TypedModel.Kind.CONST) continue;
            var t = Lowering.memberType(m);
            residents.put(m.name(), new Resident(m.name(), t.dtype(), fixed(t.shape(), m.name()),
                    m.kind() == TypedModel.Kind.PARAM ? Role.PARAM : Role.CONST));
        }
        var entries = new ArrayList<Entry>();
        for (Graph g : graphs.entries()) {
            boolean train = g.name().equals(Lowering.TRAIN_STEP);
            var used = new HashSet<String>();
            for (var n : g.inputs()) {
                if (!(n.op() instanceof Op.Input in)) continue;
                used.add(in.name());
                if (train && (in.role() == Op.Role.STATE || in.role() == Op.Role.KEY) && !residents.containsKey(in.name())) {
                    Role role = in.role() == Op.Role.KEY ? Role.KEY : in.name().equals(Lowering.STEP) ? Role.STEP : Role.STATE;
                    residents.put(in.name(), new Resident(in.name(), n.type().dtype(), fixed(n.type().shape(), in.name()), role));
                }
            }
            var arguments = new ArrayList<String>();
            for (var m : model.members()) if (m.kind() == TypedModel.Kind.INPUT && used.contains(m.name())) arguments.add(m.name());
            var program = LoopLowering.lower(Fusion.fuse(g));
            var outputs = new ArrayList<String>();
            var scalars = new ArrayList<String>();
            for (String result : program.results().keySet()) {
                if (residents.containsKey(result)) continue;
                (train ? scalars : outputs).add(result);
            }
            if (train) {
                // the loss first, then the metrics, as the JVM trainer reports them
                scalars.sort((a, b) -> a.equals("loss") ? -1 : b.equals("loss") ? 1 : 0);
            }
            entries.add(new Entry(g.name(), program, arguments, outputs, scalars, train));
        }
        long seed = model.train() == null ? 0 : model.train().seed();
        return new NativeModel(name, cName(name), seed, List.copyOf(residents.values()), entries);
    }

    Map<String, Integer> residentIndex() {
        var m = new LinkedHashMap<String, Integer>();
        for (int i = 0; i < residents.size(); i++) m.put(residents.get(i).name(), i);
        return m;
    }

    /** {@code MnistMlp} → {@code mnist_mlp}: the C API's prefix. */
    static String cName(String model) {
        var sb = new StringBuilder();
        for (int i = 0; i < model.length(); i++) {
            char c = model.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && (Character.isLowerCase(model.charAt(i - 1)) || Character.isDigit(model.charAt(i - 1)))) sb.append('_');
            sb.append(Character.isLetterOrDigit(c) && c < 128 ? Character.toLowerCase(c) : '_');
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static long[] fixed(List<DimExpr> shape, String what) {
        long[] out = new long[shape.size()];
        for (int i = 0; i < out.length; i++) {
            int axis = i;
            out[i] = shape.get(i).constantValue().orElseThrow(() -> new IllegalArgumentException(
                    what + " must have a fixed shape to live in a native model, not axis " + axis + " = " + shape.get(axis)));
        }
        return out;
    }
}
