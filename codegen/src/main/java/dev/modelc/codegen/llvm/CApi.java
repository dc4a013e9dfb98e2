package dev.modelc.codegen.llvm;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import dev.modelc.loops.LoopProgram;
import dev.modelc.runtime.foreign.NativeAbi;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The C face of a native model library: its header (the documented API, with every input,
 * output and param spelled out in C types and shapes) and the C source that describes the
 * kernels' buffers to the native runtime ({@code modelc_rt.c}) and implements the API on it.
 */
final class CApi {
    private CApi() {}

    private static final Set<String> C_KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue", "default", "do", "double",
            "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short",
            "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "model");

    /** The hidden symbol of an entry's kernels. */
    static String entrySymbol(NativeModel model, NativeModel.Entry e) { return model.cName() + "__" + identifier(e.name()) + "_kernels"; }

    static String header(NativeModel model, String modelcVersion) {
        String c = model.cName(), guard = c.toUpperCase(java.util.Locale.ROOT) + "_H";
        var h = new StringBuilder();
        h.append("/*\n * ").append(model.name()).append(": a model compiled ahead of time by modelc ").append(modelcVersion).append(".\n")
                .append(" *\n")
                .append(" * Link with -l").append(c).append(" (lib").append(c).append(".so; it needs only libc, libm and POSIX threads).\n")
                .append(" * Every function but ").append(c).append("_create returns 0 on success, or nonzero with a message in\n")
                .append(" * ").append(c).append("_error(model). An instance runs one call at a time; instances are independent.\n")
                .append(" * Tensors are dense, C order (last axis fastest), little-endian; bool is a uint8_t 0 or 1.\n")
                .append(" * Dimension variables (such as the batch size) are arguments: one library serves every value.\n */\n");
        h.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n#include <stdint.h>\n\n");
        h.append("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
        h.append("/* The ABI this header describes; ").append(c).append("_create refuses any other. */\n");
        h.append("#define ").append(c.toUpperCase(java.util.Locale.ROOT)).append("_ABI_VERSION ").append(NativeAbi.VERSION).append("u\n\n");
        h.append("#define ").append(c.toUpperCase(java.util.Locale.ROOT)).append("_API __attribute__((visibility(\"default\")))\n");
        String api = c.toUpperCase(java.util.Locale.ROOT) + "_API ";
        h.append("\ntypedef struct ").append(c).append(" ").append(c).append(";\n\n");
        h.append("/* The ABI version the library was built with. */\n").append(api).append("uint32_t ").append(c).append("_abi_version(void);\n\n");
        h.append("/* A new instance with every tensor zero, or NULL when abi_version is not the library's\n")
                .append(" * (pass ").append(c.toUpperCase(java.util.Locale.ROOT)).append("_ABI_VERSION) or memory is short. Threads: one per core until set. */\n");
        h.append(api).append(c).append(" *").append(c).append("_create(uint32_t abi_version);\n");
        h.append(api).append("void ").append(c).append("_destroy(").append(c).append(" *model);\n");
        h.append("/* The message of the last failure (never NULL). */\n");
        h.append(api).append("const char *").append(c).append("_error(const ").append(c).append(" *model);\n");
        h.append("/* Threads for the parallel loops, 1 or more (1: the calling thread only). */\n");
        h.append(api).append("int ").append(c).append("_set_threads(").append(c).append(" *model, int threads);\n\n");
        h.append("/*\n * Params, consts and optimiser state, by name (count is the element count):\n");
        for (var r : model.residents()) {
            if (r.role() == NativeModel.Role.STEP || r.role() == NativeModel.Role.KEY) continue;
            h.append(" *   ").append(r.name()).append(": ").append(cType(r.dtype())).append(shape(r.shape())).append(", ")
                    .append(r.role().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        }
        h.append(" * load_params reads a .safetensors file as modelc's JVM side writes it (every param must be there;\n")
                .append(" * optimiser state is read when present); save_params writes one the same way.\n */\n");
        h.append(api).append("int ").append(c).append("_load_params(").append(c).append(" *model, const char *safetensors_path);\n");
        h.append(api).append("int ").append(c).append("_save_params(").append(c).append(" *model, const char *safetensors_path);\n");
        h.append(api).append("int ").append(c).append("_set_param(").append(c).append(" *model, const char *name, const void *data, int64_t count);\n");
        h.append(api).append("int ").append(c).append("_get_param(").append(c).append(" *model, const char *name, void *out, int64_t count);\n");
        for (var e : model.entries()) {
            h.append("\n/*\n * ").append(e.trainStep() ? "One training step" : "Entry " + e.name()).append(".\n");
            var p = e.program();
            for (String a : e.arguments()) h.append(" *   in  ").append(a).append(": ").append(describe(p, a)).append('\n');
            for (String o : e.outputs()) h.append(" *   out ").append(o).append(": ").append(describe(p, o)).append('\n');
            if (e.trainStep()) {
                h.append(" *   out ").append(String.join(", ", e.scalars()))
                        .append(": of the batch, before the update (each may be NULL)\n")
                        .append(" * The params and optimiser state are updated in the instance; steps are counted from the first.\n");
            }
            h.append(" */\n").append(api).append("int ").append(c).append('_').append(identifier(e.name())).append(signature(model, e)).append(";\n");
        }
        h.append("\n/* Training steps taken by this instance. */\n").append(api).append("int64_t ").append(c).append("_steps(const ").append(c).append(" *model);\n");
        h.append("\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
        return h.toString();
    }

    /** The entry's C parameter list. */
    private static String signature(NativeModel model, NativeModel.Entry e) {
        var parts = new java.util.ArrayList<String>();
        parts.add(model.cName() + " *model");
        for (String d : e.program().dims()) parts.add("int64_t " + identifier(d));
        var p = e.program();
        for (String a : e.arguments()) parts.add("const " + cType(p.buffer(p.inputs().get(a)).dtype()) + " *" + identifier(a));
        for (String o : e.outputs()) parts.add(cType(p.buffer(p.results().get(o)).dtype()) + " *" + identifier(o));
        for (String s : e.scalars()) parts.add("double *" + identifier(s));
        return "(" + String.join(", ", parts) + ")";
    }

    static String source(NativeModel model) {
        String c = model.cName();
        var s = new StringBuilder();
        s.append("/* ").append(model.name()).append(": the C API over its kernels. Written by modelc. */\n");
        s.append("#include \"modelc_rt.h\"\n#include \"").append(c).append(".h\"\n\n");
        s.append("#if MODELC_RT_ABI != ").append(NativeAbi.VERSION).append("\n#error \"modelc_rt.h is not the one this model was compiled with\"\n#endif\n\n");
        s.append("static inline int64_t mc_floor_div(int64_t a, int64_t b) { int64_t q = a / b; return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q; }\n\n");
        var index = model.residentIndex();
        for (int k = 0; k < model.entries().size(); k++) {
            var e = model.entries().get(k);
            var p = e.program();
            String id = "e" + k;
            s.append("/* ").append(e.name()).append(" */\n");
            s.append("extern mc_entry_fn ").append(entrySymbol(model, e)).append(";\n\n");
            s.append("static void ").append(id).append("_counts(const int64_t *d, int64_t *n) {\n");
            s.append("    (void) d;\n");
            for (var b : p.buffers()) s.append("    n[").append(b.id()).append("] = ").append(cExpr(b.elements(), p.dims())).append(";\n");
            s.append("}\n\n");
            s.append("static const mc_buffer_desc ").append(id).append("_buffers[] = {\n");
            for (var b : p.buffers()) {
                String source, at;
                if (b.kind() == LoopProgram.Kind.TEMP) {
                    source = "MC_TEMP";
                    at = Integer.toString(b.slot());
                } else if (index.containsKey(b.name())) {
                    source = "MC_RESIDENT";
                    at = Integer.toString(index.get(b.name()));
                } else {
                    source = "MC_ARGUMENT";
                    at = Integer.toString(e.arguments().indexOf(b.name()));
                }
                s.append("    {").append(quote(b.name())).append(", ").append(mcType(b.dtype())).append(", ").append(source).append(", ").append(at).append("},\n");
            }
            s.append("};\n\n");
            s.append("static const mc_result_desc ").append(id).append("_results[] = {\n");
            int results = 0;
            for (var r : p.results().entrySet()) {
                String sink;
                int at;
                if (index.containsKey(r.getKey())) {
                    sink = "MC_TO_RESIDENT";
                    at = index.get(r.getKey());
                } else if (e.trainStep()) {
                    sink = "MC_SCALAR";
                    at = e.scalars().indexOf(r.getKey());
                } else {
                    sink = "MC_OUTPUT";
                    at = e.outputs().indexOf(r.getKey());
                }
                s.append("    {").append(r.getValue()).append(", ").append(sink).append(", ").append(at).append("}, /* ").append(r.getKey()).append(" */\n");
                results++;
            }
            if (results == 0) s.append("    {0, MC_OUTPUT, -1},\n");
            s.append("};\n\n");
            s.append("static const mc_program_desc ").append(id).append(" = {").append(quote(e.name())).append(", ").append(e.trainStep() ? 1 : 0)
                    .append(", ").append(p.dims().size()).append(", ").append(p.buffers().size()).append(", ").append(id).append("_buffers, ")
                    .append(results).append(", ").append(id).append("_results, ").append(id).append("_counts, ").append(entrySymbol(model, e)).append("};\n\n");
        }
        s.append("static const mc_resident_desc residents[] = {\n");
        for (var r : model.residents()) {
            s.append("    {").append(quote(r.name())).append(", ").append(mcType(r.dtype())).append(", MC_").append(r.role().name()).append(", ")
                    .append(r.shape().length).append(", {");
            for (int i = 0; i < r.shape().length; i++) s.append(i > 0 ? ", " : "").append(r.shape()[i]);
            if (r.shape().length == 0) s.append('0');
            s.append("}, ").append(r.count()).append("},\n");
        }
        if (model.residents().isEmpty()) s.append("    {\"\", MC_F32, MC_CONST, 0, {0}, 0},\n");
        s.append("};\n\n");
        s.append("static const mc_program_desc *const programs[] = {");
        for (int k = 0; k < model.entries().size(); k++) s.append(k > 0 ? ", " : "").append("&e").append(k);
        s.append("};\n\n");
        s.append("static const mc_model_desc description = {").append(quote(model.name())).append(", UINT64_C(").append(Long.toUnsignedString(model.seed()))
                .append("), ").append(model.residents().size()).append(", residents, ").append(model.entries().size()).append(", programs};\n\n");

        String api = c.toUpperCase(java.util.Locale.ROOT) + "_API ";
        s.append(api).append("uint32_t ").append(c).append("_abi_version(void) { return ").append(NativeAbi.VERSION).append("u; }\n\n");
        s.append(api).append(c).append(" *").append(c).append("_create(uint32_t abi_version) {\n")
                .append("    if (abi_version != ").append(NativeAbi.VERSION).append("u) return 0;\n")
                .append("    return (").append(c).append(" *) mc_create(&description);\n}\n\n");
        s.append(api).append("void ").append(c).append("_destroy(").append(c).append(" *model) { mc_destroy((mc_model *) model); }\n\n");
        s.append(api).append("const char *").append(c).append("_error(const ").append(c).append(" *model) { return mc_error((const mc_model *) model); }\n\n");
        s.append(api).append("int ").append(c).append("_set_threads(").append(c).append(" *model, int threads) { return mc_set_threads((mc_model *) model, threads); }\n\n");
        s.append(api).append("int ").append(c).append("_load_params(").append(c).append(" *model, const char *path) { return mc_load((mc_model *) model, path); }\n\n");
        s.append(api).append("int ").append(c).append("_save_params(").append(c).append(" *model, const char *path) { return mc_save((mc_model *) model, path); }\n\n");
        s.append(api).append("int ").append(c).append("_set_param(").append(c).append(" *model, const char *name, const void *data, int64_t count) {\n")
                .append("    return mc_set((mc_model *) model, name, data, count);\n}\n\n");
        s.append(api).append("int ").append(c).append("_get_param(").append(c).append(" *model, const char *name, void *out, int64_t count) {\n")
                .append("    return mc_get((mc_model *) model, name, out, count);\n}\n\n");
        s.append(api).append("int64_t ").append(c).append("_steps(const ").append(c).append(" *model) { return mc_steps((const mc_model *) model); }\n");
        for (int k = 0; k < model.entries().size(); k++) {
            var e = model.entries().get(k);
            s.append('\n').append(api).append("int ").append(c).append('_').append(identifier(e.name())).append(signature(model, e)).append(" {\n");
            s.append("    const int64_t dims[] = {").append(list(e.program().dims())).append("};\n");
            s.append("    const void *const inputs[] = {").append(list(e.arguments())).append("};\n");
            s.append("    void *const outputs[] = {").append(list(e.outputs())).append("};\n");
            if (e.trainStep()) {
                s.append("    double scalars[").append(Math.max(1, e.scalars().size())).append("];\n");
                s.append("    int status = mc_run((mc_model *) model, ").append(k).append(", dims, inputs, outputs, scalars);\n");
                s.append("    if (status != 0) return status;\n");
                for (int i = 0; i < e.scalars().size(); i++) {
                    String v = identifier(e.scalars().get(i));
                    s.append("    if (").append(v).append(") *").append(v).append(" = scalars[").append(i).append("];\n");
                }
                s.append("    return 0;\n}\n");
            } else {
                s.append("    return mc_run((mc_model *) model, ").append(k).append(", dims, inputs, outputs, 0);\n}\n");
            }
        }
        return s.toString();
    }

    private static String list(List<String> names) {
        if (names.isEmpty()) return "0";
        return names.stream().map(CApi::identifier).collect(Collectors.joining(", "));
    }

    /** A dimension as C arithmetic on the dims array {@code d}. */
    private static String cExpr(DimExpr e, List<String> dims) {
        return e.fold(new DimExpr.Algebra<String>() {
            public String constant(long value) { return "INT64_C(" + value + ")"; }
            public String variable(String name) { return "d[" + dims.indexOf(name) + "]"; }
            public String floorDiv(String inner, long divisor) { return "mc_floor_div(" + inner + ", " + divisor + ")"; }
            public String plus(String a, String b) { return "(" + a + " + " + b + ")"; }
            public String times(String a, String b) { return "(" + a + " * " + b + ")"; }
        });
    }

    private static String describe(LoopProgram p, String name) {
        Integer id = p.inputs().get(name);
        if (id == null) id = p.results().get(name);
        var b = p.buffer(id);
        return cType(b.dtype()) + (b.shape().isEmpty() ? " (one value)" : b.shape().toString());
    }

    private static String shape(long[] s) {
        var parts = new java.util.ArrayList<String>();
        for (long d : s) parts.add(Long.toString(d));
        return "[" + String.join(", ", parts) + "]";
    }

    static String cType(DType t) {
        return switch (t) {
            case F32 -> "float";
            case F64 -> "double";
            case I32 -> "int32_t";
            case I64 -> "int64_t";
            case BOOL -> "uint8_t";
            case F16, BF16 -> throw new UnsupportedOperationException("native libraries do not support " + t + " yet");
        };
    }

    private static String mcType(DType t) {
        return switch (t) {
            case F32 -> "MC_F32";
            case F64 -> "MC_F64";
            case I32 -> "MC_I32";
            case I64 -> "MC_I64";
            case BOOL -> "MC_BOOL";
            case F16, BF16 -> throw new UnsupportedOperationException("native libraries do not support " + t + " yet");
        };
    }

    /** A name usable as a C identifier (dots and other characters become underscores; keywords get one appended). */
    static String identifier(String name) {
        var sb = new StringBuilder();
        for (char ch : name.toCharArray()) sb.append(Character.isLetterOrDigit(ch) && ch < 128 || ch == '_' ? ch : '_');
        if (sb.isEmpty() || Character.isDigit(sb.charAt(0))) sb.insert(0, '_');
        String s = sb.toString();
        return C_KEYWORDS.contains(s) ? s + "_" : s;
    }

    private static String quote(String s) {
        var sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') sb.append('\\');
            sb.append(ch);
        }
        return sb.append('"').toString();
    }
}
