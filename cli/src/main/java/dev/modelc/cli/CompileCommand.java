package dev.modelc.cli;

import dev.modelc.api.Backend;
import dev.modelc.codegen.llvm.LlvmTarget;
import dev.modelc.codegen.llvm.GpuArtifacts;
import dev.modelc.codegen.llvm.NativeLibrary;
import dev.modelc.codegen.llvm.PtxCompiler;
import dev.modelc.runtime.cuda.GpuArtifact;
import dev.modelc.Frontend;
import dev.modelc.codegen.jvm.AotJar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile a model ahead of time into an artifact that needs only the runtime.")
final class CompileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .model file.")
    Path file;

    @Option(names = "--target", required = true, paramLabel = "TARGET",
            description = {
                "What to produce, one of: ${COMPLETION-CANDIDATES}.",
                "jvm: a .jar; llvm-cpu: a shared library plus a C header;"
                        + " ptx: a .ptx file plus a host descriptor."
            })
    CompileTarget target;

    @Option(names = "--cpu", paramLabel = "NAME",
            description = "The CPU (llvm-cpu) or GPU architecture (ptx) to generate code for, e.g. x86-64-v3 or sm_90.")
    String cpu;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Where to write the artifact.")
    Path output;

    @Override
    public Integer call() throws IOException {
        var compilation = ModelLoading.lowered(Frontend.create(), file, spec.commandLine().getErr());
        var models = compilation.typedProgram().orElseThrow().models();
        if (models.size() != 1) throw new UserError(file + " defines " + models.size() + " models; compile takes a file with one");
        var model = models.get(0);
        var graphs = compilation.simplified().get(0);
        if (target == CompileTarget.LLVM_CPU) return nativeLibrary(model, graphs);
        if (target == CompileTarget.PTX) return ptx(model, graphs);
        try {
            AotJar.write(model, graphs, output);
        } catch (dev.modelc.loops.LoopLoweringException e) {
            throw new UserError("the jvm backend cannot compile model " + model.decl().name() + " yet: " + e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.println("wrote " + output + ": model " + model.decl().name() + ", class " + AotJar.facadeName(model.decl().name())
                + "; run with the runtime jar beside it and java --add-modules jdk.incubator.vector");
        out.flush();
        return 0;
    }

    private int ptx(dev.modelc.check.TypedModel model, dev.modelc.graph.GraphModule graphs) throws IOException {
        if (!Backend.LLVM.available()) throw new UserError("--target ptx needs LLVM's natives, which this build has for linux-x86_64 only");
        String arch = cpu == null ? PtxCompiler.DEFAULT_ARCH : cpu;
        String name = model.decl().name();
        try {
            GpuArtifacts.of(model, graphs, arch).write(output);
        } catch (dev.modelc.loops.LoopLoweringException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new UserError("the cuda backend cannot compile model " + name + ": " + e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.println("wrote " + output + ": model " + name + " for " + arch + "; " + GpuArtifact.ptxFile(name) + ", a plan per entry, "
                + GpuArtifact.MANIFEST + " (load with dev.modelc.runtime.cuda.GpuArtifact.read)");
        out.flush();
        return 0;
    }

    private int nativeLibrary(dev.modelc.check.TypedModel model, dev.modelc.graph.GraphModule graphs) throws IOException {
        if (!Backend.LLVM.available()) throw new UserError("--target llvm-cpu needs LLVM's natives, which this build has for linux-x86_64 only");
        LlvmTarget llvmTarget;
        try {
            llvmTarget = LlvmTarget.named(cpu == null ? LlvmTarget.SHIPPED_CPU : cpu);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        NativeLibrary.Written written;
        try {
            written = NativeLibrary.write(model, graphs, output, llvmTarget, new Version().getVersion()[0].replaceFirst("^modelc ", ""));
        } catch (dev.modelc.loops.LoopLoweringException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new UserError("the llvm backend cannot compile model " + model.decl().name() + ": " + e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.println("wrote " + output + ": model " + model.decl().name() + " for " + llvmTarget.triple() + " " + llvmTarget.cpu() + "; " + written.header().getFileName() + ", "
                + written.object().getFileName() + (written.sharedLibrary() != null ? ", " + written.sharedLibrary().getFileName() : "")
                + ", " + written.cName() + "_api.c, modelc_rt.c, modelc_rt.h");
        if (!written.note().isEmpty()) out.println(written.note());
        out.flush();
        return 0;
    }
}
