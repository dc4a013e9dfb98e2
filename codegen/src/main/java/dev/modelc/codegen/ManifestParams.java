package dev.modelc.codegen;

import dev.modelc.check.TypedModel;
import dev.modelc.lower.Lowering;
import dev.modelc.runtime.aot.ModelManifest;
import dev.modelc.runtime.init.InitSpec;
import java.util.ArrayList;
import java.util.List;

/** What every ahead-of-time artifact's {@link ModelManifest} says about a model's params and seed. */
public final class ManifestParams {
    private ManifestParams() {}

    /** The params and consts, in declaration order, with their initialisers (null for a const that must be loaded). */
    public static List<ModelManifest.Param> of(TypedModel model) {
        var params = new ArrayList<ModelManifest.Param>();
        for (var m : model.members()) {
            if (m.kind() != TypedModel.Kind.PARAM && m.kind() != TypedModel.Kind.CONST) continue;
            var t = Lowering.memberType(m);
            long[] shape = t.shape().stream().mapToLong(d -> d.constantValue().orElseThrow()).toArray();
            var init = m.init() == null ? null : new InitSpec(m.init().kind(), m.init().args());
            params.add(new ModelManifest.Param(m.name(), t.dtype().toRuntime(), shape, init));
        }
        return params;
    }

    /** The training seed, or 0 for a model that does not train. */
    public static long seed(TypedModel model) { return model.train() == null ? 0 : model.train().seed(); }
}
