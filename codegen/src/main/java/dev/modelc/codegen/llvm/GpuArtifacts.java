package dev.modelc.codegen.llvm;

import dev.modelc.check.TypedModel;
import dev.modelc.codegen.ManifestParams;
import dev.modelc.fuse.Fusion;
import dev.modelc.graph.GraphModule;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.aot.ModelManifest;
import dev.modelc.runtime.cuda.GpuArtifact;
import java.util.ArrayList;

/** {@code modelc compile --target ptx}: every entry of a model (its training step included) as a {@link GpuArtifact}. */
public final class GpuArtifacts {
    private GpuArtifacts() {}

    public static GpuArtifact of(TypedModel model, GraphModule graphs, String arch) {
        String name = model.decl().name();
        var programs = new ArrayList<LoopProgram>();
        var entries = new ArrayList<ModelManifest.Entry>();
        for (var g : graphs.entries()) {
            programs.add(PtxCompiler.lower(Fusion.fuse(g)));
            entries.add(new ModelManifest.Entry(g.name(), GpuArtifact.ptxFile(name), GpuArtifact.planFile(name, g.name())));
        }
        var module = PtxCompiler.compile(name, programs, arch);
        var manifest = new ModelManifest(name, ManifestParams.seed(model), ManifestParams.of(model), entries);
        return new GpuArtifact(manifest, module.ptx(), module.plans());
    }
}
