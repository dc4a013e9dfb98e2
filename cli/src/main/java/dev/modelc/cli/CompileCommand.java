package dev.modelc.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile a model ahead of time into an artifact that needs only the runtime.")
final class CompileCommand extends PendingCommand {

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
}
