package dev.modelc.codegen.jvm;

import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.jvm.CompiledProgram;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceClassVisitor;

/**
 * The JVM backend: compiles a {@link LoopProgram} to one class with ASM (layout in
 * {@link ClassGen}) and defines it in-process as a hidden class.
 *
 * <p>Indices are {@code int}s. That is safe because {@link JvmProgram} checks before each run
 * that every buffer's element count, and so every in-bounds index, fits an int; an index
 * constant or loop step that does not fit is rejected here. Element semantics are the reference
 * interpreter's, bit for bit (see {@link ScalarOps} and {@link VectorGen}).
 *
 * <p>The generated class needs the Vector API module at run time when the program has vector
 * types: run the JVM with {@code --add-modules jdk.incubator.vector}.
 */
public final class JvmCompiler {
    private JvmCompiler() {}

    /** Compiles and loads {@code p}. */
    public static JvmProgram compile(LoopProgram p) {
        byte[] bytes = classBytes(p);
        if (usesVectors(bytes) && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("program " + p.entry() + " uses vectors: run java with --add-modules jdk.incubator.vector");
        }
        try {
            MethodHandles.Lookup lookup = Generated.LOOKUP.defineHiddenClass(bytes, true);
            var constructor = lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class));
            java.util.function.Supplier<CompiledProgram> instances = () -> {
                try {
                    return (CompiledProgram) constructor.invoke();
                } catch (Throwable t) {
                    throw new IllegalStateException("could not instantiate the class generated for " + p.entry(), t);
                }
            };
            return new JvmProgram(p, bytes, instances);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("could not load the class generated for " + p.entry(), t);
        }
    }

    /** The class file generated for {@code p}: named {@code dev.modelc.codegen.jvm.Model_<entry>}, self-contained. */
    public static byte[] classBytes(LoopProgram p) {
        return new ClassGen(p).generate();
    }

    /**
     * The class file for {@code p} under another internal name (e.g. {@code modelc/gen/xor/Entry_logits}),
     * for an ahead-of-time jar, where it is loaded as an ordinary class next to the runtime.
     */
    public static byte[] classBytes(LoopProgram p, String internalName) {
        return new ClassGen(p, internalName).generate();
    }

    /** The runtime's description of {@code p}'s buffers, for running its class without the compiler. */
    public static dev.modelc.runtime.jvm.ProgramLayout layout(LoopProgram p) {
        var buffers = p.buffers().stream().map(b -> new dev.modelc.runtime.jvm.ProgramLayout.Buffer(b.id(), b.name(), b.dtype().toRuntime(),
                b.shape().stream().map(Object::toString).toList(), b.kind() == LoopProgram.Kind.INPUT, b.slot())).toList();
        return new dev.modelc.runtime.jvm.ProgramLayout(p.entry(), p.dims(), buffers, p.inputs(), p.results());
    }

    /** A readable bytecode listing of the class generated for {@code p} ({@code modelc ir --stage jvm}). */
    public static String listing(LoopProgram p) {
        var out = new StringWriter();
        new ClassReader(classBytes(p)).accept(new TraceClassVisitor(null, new Textifier(), new PrintWriter(out)), 0);
        return out.toString();
    }

    /** {@code v} as an int index, or an exception saying that it does not fit. */
    static int intIndex(long v) {
        if (v != (int) v) throw new UnsupportedOperationException("index " + v + " does not fit the JVM backend's int indices");
        return (int) v;
    }

    /** Whether the class refers to the Vector API: its constant pool then names the package (UTF-8, so ASCII here). */
    private static boolean usesVectors(byte[] classBytes) {
        return new String(classBytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains(Kind.VECTOR_PKG);
    }
}
