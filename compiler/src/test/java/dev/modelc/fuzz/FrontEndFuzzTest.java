package dev.modelc.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.Compilation;
import dev.modelc.Frontend;
import dev.modelc.check.Builtins;
import dev.modelc.diag.Diagnostic;
import dev.modelc.diag.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Robustness of the front end: whatever the text, {@link Frontend#compileString} returns (never
 * throws), in bounded time, and its result is self-consistent.
 *
 * <p>The inputs are the examples, the standard library and the diagnostics tests, mutated by a
 * seeded generator (token drops, duplicates, swaps, insertions from the language's vocabulary,
 * splices of two files, random bytes, huge numbers and names, truncation, and syntax-preserving
 * swaps of numbers, operators and names), some of them compiled as a user file or a standard module
 * imported by another file; random expressions over random inputs (well-formed syntax, arbitrary
 * typing); plus a fixed list of pathological inputs (deep nesting, huge dimensions, huge literals,
 * long names, empty files, odd characters, odd import paths).
 *
 * <p>Properties: {@code -Dfuzz.cases=N} (default 3000), {@code -Dfuzz.seed=S} (default fixed),
 * {@code -Dfuzz.only=I} (replay case I of seed S only), {@code -Dfuzz.timeoutMs=T} (default 2000),
 * {@code -Dfuzz.longNames=false} (names of at most 1,000 characters instead of up to 200,000).
 * A failing input is saved under {@code target/fuzz-failures/}; the failure message names the seed
 * and the case.
 */
class FrontEndFuzzTest {

    /** {@code -Dfuzz.longNames=false} keeps generated names at 1,000 characters (to hunt other bugs while a slowness with long names stands). */
    static final boolean LONG_NAMES = Boolean.parseBoolean(System.getProperty("fuzz.longNames", "true"));
    static final long DEFAULT_SEED = 0x6d6f64656c63L; // "modelc"
    static final int DEFAULT_CASES = 3000;
    static final Path FAILURES = Path.of("target", "fuzz-failures");
    static final int MAX_REPORTED = 10;

    static ExecutorService executor;
    /** The worker's thread, for a stack trace when a case hangs. */
    static volatile Thread workerThread;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startWorker() {
        executor = newWorker();
    }

    @AfterAll
    static void stopWorker() {
        executor.shutdownNow();
    }

    static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            // default stack size, as the command line's main thread has
            var t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    // ---- the cases ---------------------------------------------------------------------------------

    /** One input: a root text and, optionally, files it imports (written into a fresh directory). */
    record Case(String label, String name, String text, Map<String, String> files) {
        static Case of(String label, String text) { return new Case(label, "fuzz.model", text, Map.of()); }
    }

    /** What one compilation gave. */
    record Outcome(boolean errors, long nanos) {}

    static final class CaseFailure extends Exception {
        CaseFailure(String message, Throwable cause) { super(message, cause); }
    }

    // ---- the corpus --------------------------------------------------------------------------------

    record Seed(String path, String text) {}

    static Path firstExisting(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isDirectory(p)) return p;
        }
        return null;
    }

    static List<Seed> corpus() throws IOException {
        var dirs = new ArrayList<Path>();
        for (var d : new Path[] {
                firstExisting("../examples", "examples"),
                firstExisting("../stdlib/src/main/resources/std", "stdlib/src/main/resources/std"),
                firstExisting("../tests/diagnostics", "tests/diagnostics")}) {
            if (d != null) dirs.add(d);
        }
        var out = new ArrayList<Seed>();
        for (Path d : dirs) {
            try (Stream<Path> s = Files.walk(d)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".model")).sorted().toList()) {
                    // undecodable bytes become U+FFFD: the point is the text, not the encoding check
                    out.add(new Seed(p.toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8)));
                }
            }
        }
        if (out.size() < 5) fail("fuzz corpus not found (examples and stdlib sources) from " + Path.of("").toAbsolutePath());
        return out;
    }

    // ---- tokens and vocabulary --------------------------------------------------------------------------

    static final Pattern TOKEN = Pattern.compile(
            "\\s+|//[^\\n]*|/\\*.*?\\*/|\"[^\"\\n]*\"|\\d[\\d_]*(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|[A-Za-z_]\\w*"
                    + "|\\.\\.\\.|->|\\*\\*|[<>=!]=|.",
            Pattern.DOTALL);

    static List<String> tokens(String text) {
        var out = new ArrayList<String>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    static boolean isSpace(String tok) { return tok.isBlank(); }

    static final List<String> VOCABULARY;

    static {
        var v = new ArrayList<String>(List.of(
                "import", "fn", "model", "let", "return", "input", "param", "const", "output", "loss", "metric",
                "train", "grad", "and", "or", "not", "true", "false",
                "->", "...", "**", "<=", ">=", "==", "!=", "<", ">", "=", "+", "-", "*", "/", "%", "@",
                "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "\"", "//", "/*", "*/",
                "f32", "f64", "i32", "i64", "bool", "f16", "str", "init", "f32[B, 784]", "f32[]", "i32[B]",
                "f32[*S]", "f32[*S, C]", "f32[H - KH + 1]", "f32[(W - 2) / 2 + 1]", "(f32[N], f32[N])",
                "B", "N", "C", "H", "W", "KH", "S", "x", "y", "w", "b", "h", "z", "logits", "probs",
                "0", "1", "2", "-1", "3", "10", "784", "0.5", "1e-3", "1e999", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "99999999999999999999", "1_000", "0.", ".5",
                "\"same\"", "\"valid\"", "\"mean\"", "\"none\"", "\"sum\"", "\"tanh\"", "\"\"",
                "\"lib.model\"", "\"fuzz.model\"", "\"../x.model\"", "\"/\"",
                "std", "std.nn", "std.nn.*", "std.losses", "std.optim", "std.init", "nn", "nn.dense", "losses",
                "optimizer", "batch", "epochs", "seed", "shuffle", "lr", "axis", "keepdims", "ddof", "stride",
                "padding", "dilation", "reduction", "dtype", "shape", "alpha",
                ".T", "x.T", "axis=-1", "axis=(0, 1)", "keepdims=true", "[B, -1]", "(1, 0)", "[:, 0]", "[..., -1]",
                "[1:3, ::2]", "[::-1]", "(x, y)", "()", "(x,)", "[]",
                "dense", "layer_norm", "elu", "selu", "silu", "mish", "relu6", "mse", "mae", "huber", "nll",
                "cross_entropy", "binary_cross_entropy", "kl_div", "reduce_loss", "sgd", "adam", "adamw",
                "rmsprop", "adagrad", "lecun_normal", "variance_scaling"));
        v.addAll(Builtins.names());
        VOCABULARY = List.copyOf(v);
    }

    static final List<String> NUMBERS = List.of("0", "1", "2", "3", "4", "7", "10", "28", "64", "128", "784", "1000000",
            "1000000000000", "9223372036854775807", "0.0", "0.5", "1.0", "1e-8", "2.5", "1e30");

    static final List<String> OPERATORS = List.of("+", "-", "*", "/", "%", "@", "**", "<", "<=", ">", ">=", "==", "!=", "and", "or");

    static final List<String> NAMES;

    static {
        var n = new ArrayList<String>(Builtins.names());
        n.addAll(List.of("f32", "f64", "i32", "i64", "bool", "B", "N", "C", "H", "W", "O", "I", "S", "KH", "x", "y", "w", "b", "g",
                "t", "m", "v", "h", "logits", "probs", "dense", "layer_norm", "mse", "cross_entropy", "binary_cross_entropy",
                "nll", "elu", "adam", "sgd", "rmsprop", "nn", "losses", "optim", "init", "std", "true", "false", "grad",
                "input", "param", "const", "output", "loss", "metric", "train", "model", "fn", "let", "return", "import"));
        NAMES = List.copyOf(n);
    }

    // ---- the generator -------------------------------------------------------------------------------

    static final class Gen {
        final SplittableRandom r;
        final List<Seed> corpus;

        Gen(long seed, List<Seed> corpus) {
            this.r = new SplittableRandom(seed);
            this.corpus = corpus;
        }

        String pick(List<String> l) { return l.get(r.nextInt(l.size())); }

        /** A corpus file; the examples and the standard library (valid programs) are drawn more often than the rest. */
        Seed seed() {
            var core = corpus.stream().filter(c -> !c.path().contains("tests")).toList();
            if (!core.isEmpty() && r.nextInt(10) < 6) return core.get(r.nextInt(core.size()));
            return corpus.get(r.nextInt(corpus.size()));
        }

        int idx(List<String> toks) {
            // prefer non-space tokens
            for (int tries = 0; tries < 8; tries++) {
                int i = r.nextInt(toks.size());
                if (!isSpace(toks.get(i))) return i;
            }
            return r.nextInt(toks.size());
        }

        String randomChars() {
            var sb = new StringBuilder();
            int n = 1 + r.nextInt(6);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(9)) {
                    case 0 -> sb.append('\0');
                    case 1 -> sb.append((char) r.nextInt(0x20)); // control characters
                    case 2 -> sb.append((char) (0x7f + r.nextInt(0x60)));
                    case 3 -> sb.append(new String(Character.toChars(0x80 + r.nextInt(0x2FF80)))); // BMP and beyond
                    case 4 -> sb.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate
                    case 5 -> sb.append(pick(List.of("\uFEFF", "\u00A0", "\u2028", "\u200B", "\r", "\r\n", "\t", "\u000C", "\u0085")));
                    case 6 -> sb.append(pick(List.of("é", "λ", "β₁", "😀", "中文", "𝑥", "ﬀ", "Ω")));
                    case 7 -> sb.append((char) r.nextInt(0x80));
                    default -> sb.append(pick(List.of("\\", "'", "`", "#", "$", "?", "!", "~", "^", "&", "|", "\"")));
                }
            }
            return sb.toString();
        }

        String hugeNumber() {
            return switch (r.nextInt(8)) {
                case 0 -> "9".repeat(1 + r.nextInt(400));
                case 1 -> "9223372036854775807";
                case 2 -> "9223372036854775808";
                case 3 -> "1000000";
                case 4 -> "1000000000000";
                case 5 -> "1" + "0".repeat(r.nextInt(40)) + "e" + r.nextInt(5000);
                case 6 -> "0." + "0".repeat(r.nextInt(400)) + "1";
                default -> "4611686018427387904";
            };
        }

        String longIdentifier() {
            int n = new int[] {1000, 65536, 200000}[r.nextInt(3)];
            if (!LONG_NAMES) n = 1000;
            char first = r.nextBoolean() ? 'B' : 'x';
            return first + "a".repeat(n);
        }

        /** One token-level or text-level mutation. */
        String mutate(String text) {
            var toks = tokens(text);
            if (toks.isEmpty()) toks.add(" ");
            int op = r.nextInt(20);
            switch (op) {
                case 0 -> { // drop 1..3 tokens
                    int n = 1 + r.nextInt(3);
                    for (int k = 0; k < n && !toks.isEmpty(); k++) toks.remove(idx(toks));
                }
                case 1 -> { // duplicate a token or a run
                    int i = idx(toks);
                    int len = 1 + r.nextInt(Math.min(8, toks.size() - i));
                    toks.addAll(i, new ArrayList<>(toks.subList(i, i + len)));
                }
                case 2 -> { // swap two tokens
                    int i = idx(toks), j = idx(toks);
                    var t = toks.get(i);
                    toks.set(i, toks.get(j));
                    toks.set(j, t);
                }
                case 3, 4 -> { // insert vocabulary
                    int n = 1 + r.nextInt(3);
                    for (int k = 0; k < n; k++) toks.add(r.nextInt(toks.size() + 1), (r.nextBoolean() ? " " : "") + pick(VOCABULARY));
                }
                case 5 -> toks.set(idx(toks), pick(VOCABULARY)); // replace a token
                case 6 -> { // random bytes / unicode / control characters / NUL
                    toks.add(r.nextInt(toks.size() + 1), randomChars());
                }
                case 7 -> { // a number becomes huge, or a literal becomes a huge dimension
                    var nums = IntStream.range(0, toks.size()).filter(i -> Character.isDigit(toks.get(i).charAt(0))).toArray();
                    int i = nums.length > 0 ? nums[r.nextInt(nums.length)] : idx(toks);
                    toks.set(i, hugeNumber());
                }
                case 8 -> { // a name becomes very long
                    var ids = IntStream.range(0, toks.size()).filter(i -> Character.isLetter(toks.get(i).charAt(0))).toArray();
                    String longName = longIdentifier();
                    if (ids.length > 0) {
                        String old = toks.get(ids[r.nextInt(ids.length)]);
                        // rename every occurrence, so the program may stay valid
                        toks.replaceAll(t -> t.equals(old) ? longName : t);
                    } else {
                        toks.add(longName);
                    }
                }
                case 9 -> { // truncate
                    return text.substring(0, r.nextInt(text.length() + 1));
                }
                case 10 -> { // swap two lines
                    var lines = new ArrayList<>(List.of(text.split("\n", -1)));
                    if (lines.size() > 1) {
                        int i = r.nextInt(lines.size()), j = r.nextInt(lines.size());
                        var t = lines.get(i);
                        lines.set(i, lines.get(j));
                        lines.set(j, t);
                    }
                    return String.join("\n", lines);
                }
                case 11 -> { // splice with another file at a token boundary
                    var other = tokens(seed().text());
                    int a = r.nextInt(toks.size() + 1);
                    int b = r.nextInt(other.size() + 1);
                    var out = new ArrayList<>(toks.subList(0, a));
                    out.addAll(other.subList(b, other.size()));
                    return String.join("", out);
                }
                case 12 -> { // wrap an expression-looking token in deep parens / unary chains
                    int i = idx(toks);
                    int depth = 1 + r.nextInt(200);
                    String t = toks.get(i);
                    toks.set(i, switch (r.nextInt(4)) {
                        case 0 -> "(".repeat(depth) + t + ")".repeat(depth);
                        case 1 -> "- ".repeat(depth) + t;
                        case 2 -> "not ".repeat(depth) + t;
                        default -> (t + " ** ").repeat(depth) + t;
                    });
                }
                case 14, 15 -> { // syntax-preserving: a number becomes another number
                    var nums = IntStream.range(0, toks.size()).filter(i -> Character.isDigit(toks.get(i).charAt(0))).toArray();
                    if (nums.length > 0) toks.set(nums[r.nextInt(nums.length)], pick(NUMBERS));
                }
                case 16 -> { // syntax-preserving: an operator becomes another operator
                    var ops = IntStream.range(0, toks.size()).filter(i -> OPERATORS.contains(toks.get(i))).toArray();
                    if (ops.length > 0) toks.set(ops[r.nextInt(ops.length)], pick(OPERATORS));
                }
                case 17 -> { // syntax-preserving: a name becomes another name (function, dtype, dimension, variable)
                    var ids = IntStream.range(0, toks.size()).filter(i -> Character.isLetter(toks.get(i).charAt(0))).toArray();
                    if (ids.length > 0) toks.set(ids[r.nextInt(ids.length)], pick(NAMES));
                }
                case 18 -> { // syntax-preserving: a whole line disappears or repeats
                    var lines = new ArrayList<>(List.of(text.split("\n", -1)));
                    int i = r.nextInt(lines.size());
                    if (r.nextBoolean()) lines.remove(i);
                    else lines.add(i, lines.get(i));
                    return String.join("\n", lines);
                }
                default -> { // delete or duplicate a byte-level range
                    int a = r.nextInt(text.length() + 1), b = r.nextInt(text.length() + 1);
                    int lo = Math.min(a, b), hi = Math.max(a, b);
                    return r.nextBoolean() ? text.substring(0, lo) + text.substring(hi)
                            : text.substring(0, hi) + text.substring(lo);
                }
            }
            return String.join("", toks);
        }

        String mutated(String text) {
            int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(6) : 0);
            for (int k = 0; k < n; k++) text = mutate(text);
            return text;
        }

        Case next() {
            int kind = r.nextInt(20);
            if (kind < 2) { // splice halves of two files
                String a = seed().text(), b = seed().text();
                String s = a.substring(0, r.nextInt(a.length() + 1)) + b.substring(r.nextInt(b.length() + 1));
                return Case.of("splice", r.nextBoolean() ? s : mutated(s));
            }
            if (kind < 4) { // a mutated user file imported by a valid root
                Seed s = seed();
                String lib = mutated(s.text());
                String root = "import \"lib.model\"\nimport std.nn.*\n\n" + pick(List.of(
                        "model M {\n  input x: f32[B, 3]\n  output o = relu(x)\n}\n",
                        "model M {\n  input x: f32[B, 784]\n  input y: i32[B]\n  param w: f32[784, 10] = he_normal()\n"
                                + "  param b: f32[10] = zeros()\n  output logits = dense(x, w, b)\n"
                                + "  loss = cross_entropy(logits, y)\n  train {\n    optimizer = adam(lr=1e-3)\n  }\n}\n",
                        "fn g(x: f32[N]) -> f32[N] = lib.dense(x, x, x)\n",
                        ""));
                return new Case("import-user", "fuzz.model", r.nextBoolean() ? root : mutated(root), Map.of("lib.model", lib));
            }
            if (kind < 6) { // a mutated standard module, imported as a user file under its own name
                var std = corpus.stream().filter(c -> c.path().replace('\\', '/').contains("resources/std/")).toList();
                Seed s = std.isEmpty() ? seed() : std.get(r.nextInt(std.size()));
                String file = Path.of(s.path()).getFileName().toString();
                String stem = file.replace(".model", "");
                String root = "import \"" + file + "\"\n\nmodel M {\n  input x: f32[B, 3]\n  input y: f32[B, 3]\n"
                        + "  param w: f32[3, 3] = he_normal()\n  param b: f32[3] = zeros()\n"
                        + "  output o = " + stem + ".dense(x, w, b)\n  loss = " + stem + ".mse(x @ w, y)\n"
                        + "  train {\n    optimizer = " + stem + ".adam(lr=0.1)\n  }\n}\n";
                return new Case("import-std", "fuzz.model", root, Map.of(file, mutated(s.text())));
            }
            if (kind < 7) { // files importing each other, mutated
                String a = "import \"b.model\"\nfn fa(x: f32[N]) -> f32[N] = fb(x)\n";
                String b = "import \"" + pick(List.of("a.model", "b.model", "c.model", "fuzz.model")) + "\"\nfn fb(x: f32[N]) -> f32[N] = x\n";
                String root = "import \"a.model\"\nmodel M {\n  input x: f32[3]\n  output o = fa(x)\n}\n";
                return new Case("import-cycle", "fuzz.model", mutated(root), Map.of("a.model", mutated(a), "b.model", b));
            }
            if (kind < 10) { // a random expression over random inputs: well-formed syntax, arbitrary typing
                String text = randomModel();
                return Case.of("random-expr", r.nextInt(4) == 0 ? mutated(text) : text);
            }
            return Case.of("mutate", mutated(seed().text()));
        }

        static final List<String> DIMS = List.of("B", "N", "1", "2", "3", "4", "28", "0", "B + 1", "2 * N", "(B - 1) / 2", "1000000000000");
        static final List<String> DTYPES = List.of("f32", "f32", "f32", "f64", "i32", "i64", "bool");
        static final List<String> LEAVES = List.of("0", "1", "-1", "2", "0.5", "1e-3", "true", "false", "\"same\"", "\"mean\"",
                "f32", "i64", "9223372036854775807", "B", "N", "()", "(0, 1)", "[B, -1]", "[-1]", "(1, 0)");
        static final List<String> NAMED = List.of("axis=0", "axis=-1", "axis=1", "axis=(0, 1)", "keepdims=true", "keepdims=false",
                "stride=2", "padding=\"same\"", "padding=\"valid\"", "dilation=2", "ddof=1", "reduction=\"none\"",
                "reduction=\"sum\"", "approximate=\"tanh\"", "alpha=0.1", "axes=(1, 0)", "shape=[2, -1]", "p=0.5",
                "dtype=f64", "classes=10", "lo=0", "hi=1", "size=2");
        static final List<String> STD_FNS = List.of("dense", "layer_norm", "elu", "selu", "silu", "mish", "relu6", "mse", "mae",
                "huber", "cross_entropy", "binary_cross_entropy", "nll", "kl_div", "nn.dense", "softsign", "log_sigmoid");

        String randomType() {
            int rank = r.nextInt(5);
            var dims = new ArrayList<String>();
            for (int i = 0; i < rank; i++) dims.add(pick(DIMS));
            return pick(DTYPES) + (rank == 0 && r.nextBoolean() ? "" : "[" + String.join(", ", dims) + "]");
        }

        String expr(List<String> names, int depth) {
            if (depth <= 0 || r.nextInt(5) == 0) return r.nextInt(3) == 0 ? pick(LEAVES) : pick(names);
            return switch (r.nextInt(10)) {
                case 0, 1 -> expr(names, depth - 1) + " " + pick(OPERATORS) + " " + expr(names, depth - 1);
                case 2 -> pick(List.of("-", "not ", "+")) + expr(names, depth - 1);
                case 3 -> { // a subscript
                    var subs = new ArrayList<String>();
                    int n = 1 + r.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        subs.add(pick(List.of("0", "-1", "1", ":", "::2", "::-1", "1:", ":-1", "...", "1:3", "5", "B", "::0")));
                    }
                    yield "(" + expr(names, depth - 1) + ")[" + String.join(", ", subs) + "]";
                }
                case 4 -> "(" + expr(names, depth - 1) + ").T";
                case 5 -> "grad(sum(" + expr(names, depth - 1) + "), " + pick(names) + ")";
                case 6 -> pick(STD_FNS) + "(" + args(names, depth, 1 + r.nextInt(3)) + ")";
                case 7 -> pick(List.of("concat", "stack")) + "((" + expr(names, depth - 1) + ", " + expr(names, depth - 1) + ")"
                        + (r.nextBoolean() ? ", axis=" + pick(List.of("0", "1", "-1", "2")) : "") + ")";
                default -> pick(List.copyOf(Builtins.names())) + "(" + args(names, depth, r.nextInt(4)) + ")";
            };
        }

        String args(List<String> names, int depth, int positional) {
            var a = new ArrayList<String>();
            for (int i = 0; i < positional; i++) a.add(expr(names, depth - 1));
            int named = r.nextInt(3);
            for (int i = 0; i < named; i++) a.add(pick(NAMED));
            return String.join(", ", a);
        }

        String randomModel() {
            var sb = new StringBuilder("import std.nn\nimport std.nn.*\n\nmodel R {\n");
            var names = new ArrayList<String>();
            int inputs = 1 + r.nextInt(4);
            for (int i = 0; i < inputs; i++) {
                String n = "x" + i;
                names.add(n);
                sb.append("  input ").append(n).append(": ").append(randomType()).append('\n');
            }
            if (r.nextBoolean()) {
                sb.append("  param w: f32[").append(pick(List.of("3", "2, 3", "3, 3", "28, 28, 1, 2"))).append("] = he_normal()\n");
                names.add("w");
            }
            int lets = r.nextInt(3);
            for (int i = 0; i < lets; i++) {
                sb.append("  let l").append(i).append(" = ").append(expr(names, 3)).append('\n');
                names.add("l" + i);
            }
            sb.append("  output o = ").append(expr(names, 1 + r.nextInt(4))).append('\n');
            if (r.nextInt(3) == 0) sb.append("  loss = ").append(expr(names, 2)).append('\n');
            return sb.append("}\n").toString();
        }
    }

    // ---- the fixed pathological inputs ----------------------------------------------------------------

    static String model(String expr) {
        return "model M {\n  input x: f32[3]\n  input a: f32[3]\n  output o = " + expr + "\n}\n";
    }

    static String modelWith(String inputs, String expr) {
        return "import std.nn.*\nmodel M {\n" + inputs + "  output o = " + expr + "\n}\n";
    }

    static List<Case> pathological() {
        var l = new ArrayList<Case>();
        l.add(Case.of("empty", ""));
        l.add(Case.of("blank", " \n\t\r\n  \n"));
        l.add(Case.of("only-line-comments", "// nothing here\n// at all\n"));
        l.add(Case.of("only-block-comment", "/* just a comment */"));
        l.add(Case.of("only-comments-no-newline", "// x"));
        l.add(Case.of("unterminated-comment", "/* never closed"));
        l.add(Case.of("nested-comments", "/* /* */ */"));
        l.add(Case.of("unterminated-string", "import \"never closed"));
        l.add(Case.of("nul", "\0"));
        l.add(Case.of("nuls", "model\0M {\0}\0"));
        l.add(Case.of("bom", "\uFEFFmodel M {\n}\n"));
        l.add(Case.of("lone-surrogate", "model M { input x: f32[3] output o = x \uD800 }"));
        l.add(Case.of("lone-low-surrogate", "\uDC00"));
        l.add(Case.of("astral", "model 𝑀 {\n input 𝑥: f32[3]\n}\n"));
        l.add(Case.of("crlf", "import std.nn.*\r\nmodel M {\r\n  input x: f32[B, 3]\r\n  output o = relu(x)\r\n}\r\n"));
        l.add(Case.of("cr-only", "model M {\r  input x: f32[3]\r  output o = x\r}\r"));
        l.add(Case.of("control-chars", IntStream.range(0, 32).mapToObj(i -> String.valueOf((char) i)).collect(Collectors.joining())));
        l.add(Case.of("all-ascii", IntStream.range(0, 128).mapToObj(i -> String.valueOf((char) i)).collect(Collectors.joining())));

        for (int n : new int[] {300, 10_000}) {
            l.add(Case.of("open-parens-" + n, "(".repeat(n)));
            l.add(Case.of("open-brackets-" + n, "[".repeat(n)));
            l.add(Case.of("open-braces-" + n, "{".repeat(n)));
            l.add(Case.of("close-parens-" + n, ")".repeat(n)));
            l.add(Case.of("close-braces-" + n, "}".repeat(n)));
            l.add(Case.of("parens-in-expr-" + n, model("(".repeat(n) + "x" + ")".repeat(n))));
            l.add(Case.of("unclosed-parens-in-expr-" + n, model("(".repeat(n) + "x")));
            l.add(Case.of("brackets-in-expr-" + n, model("[".repeat(n) + "x" + "]".repeat(n))));
            l.add(Case.of("parens-in-dims-" + n, "model M {\n  input x: f32[" + "(".repeat(n) + "B" + ")".repeat(n) + "]\n}\n"));
            l.add(Case.of("model-open-parens-" + n, "model M {\n  output o = " + "(".repeat(n) + "\n}\n"));
        }
        for (int n : new int[] {100, 5_000}) {
            l.add(Case.of("neg-chain-" + n, model("- ".repeat(n) + "x")));
            l.add(Case.of("neg-chain-nospace-" + n, model("-".repeat(n) + "x")));
            l.add(Case.of("plus-sign-chain-" + n, model("+".repeat(n) + "x")));
            l.add(Case.of("not-chain-" + n, model("not ".repeat(n) + "(x > 0)")));
            l.add(Case.of("pow-chain-" + n, model("a ** ".repeat(n) + "a")));
            l.add(Case.of("add-chain-" + n, model("x + ".repeat(n) + "x")));
            l.add(Case.of("mul-chain-" + n, model("x * ".repeat(n) + "x")));
            l.add(Case.of("matmul-chain-" + n, modelWith("  input m: f32[3, 3]\n", "m @ ".repeat(n) + "m")));
            l.add(Case.of("and-chain-" + n, model("x > 0 and ".repeat(n) + "x > 0")));
            l.add(Case.of("T-chain-" + n, modelWith("  input m: f32[3, 3]\n", "m" + ".T".repeat(n))));
            l.add(Case.of("index-chain-" + n, model("x" + "[0]".repeat(n))));
            l.add(Case.of("slice-chain-" + n, model("x" + "[::-1]".repeat(n))));
            l.add(Case.of("dim-sum-" + n, "model M {\n  input x: f32[" + "B + ".repeat(n) + "B]\n  output o = x\n}\n"));
            l.add(Case.of("dim-neg-" + n, "model M {\n  input x: f32[" + "-".repeat(n) + "B]\n  output o = x\n}\n"));
            l.add(Case.of("dim-product-" + n, "model M {\n  input x: f32[" + "B * ".repeat(n) + "B]\n  output o = sum(x)\n}\n"));
            l.add(Case.of("tuple-" + n, model("(" + "x, ".repeat(n) + "x)")));
            l.add(Case.of("nested-tuple-" + n, model("(".repeat(n) + "x" + ",)".repeat(n))));
            l.add(Case.of("list-" + n, model("sum(x, axis=[" + "0, ".repeat(n) + "0])")));
            l.add(Case.of("args-" + n, model("relu(" + "x, ".repeat(n) + "x)")));
            l.add(Case.of("named-args-" + n, model("relu(x, " + IntStream.range(0, n).mapToObj(i -> "a" + i + "=1").collect(Collectors.joining(", ")) + ")")));
            l.add(Case.of("rank-" + n, "model M {\n  input x: f32[" + "1, ".repeat(n) + "1]\n  output o = sum(x) + flatten(x)[0, 0]\n}\n"));
        }
        for (int n : new int[] {50, 300, 1000}) {
            l.add(Case.of("nested-calls-" + n, modelWith("  input x: f32[B, 3]\n", "relu(".repeat(n) + "x" + ")".repeat(n))));
            l.add(Case.of("nested-std-calls-" + n, modelWith("  input x: f32[B, 3]\n", "silu(".repeat(n) + "x" + ")".repeat(n))));
            l.add(Case.of("nested-sum-" + n, modelWith("  input x: f32[B, 3]\n", "sum(".repeat(n) + "x" + ")".repeat(n))));
            l.add(Case.of("nested-grad-" + n, model("sum(" + "grad(sum(".repeat(n) + "x" + "), x)".repeat(n) + ")")));
            l.add(Case.of("fn-chain-" + n, IntStream.range(1, n)
                    .mapToObj(i -> "fn f" + i + "(x: f32[N]) -> f32[N] = f" + (i - 1) + "(x)\n")
                    .collect(Collectors.joining("", "fn f0(x: f32[N]) -> f32[N] = x\n", model("f" + (n - 1) + "(x)")))));
            l.add(Case.of("let-chain-" + n, "model M {\n  input x: f32[3]\n  let a0 = x\n"
                    + IntStream.range(1, n).mapToObj(i -> "  let a" + i + " = a" + (i - 1) + " + 1\n").collect(Collectors.joining())
                    + "  output o = a" + (n - 1) + "\n}\n"));
            l.add(Case.of("fn-let-chain-" + n, "fn f(x: f32[N]) -> f32[N] {\n  let a0 = x\n"
                    + IntStream.range(1, n).mapToObj(i -> "  let a" + i + " = a" + (i - 1) + " * 2\n").collect(Collectors.joining())
                    + "  return a" + (n - 1) + "\n}\n" + model("f(x)")));
            l.add(Case.of("many-models-" + n, IntStream.range(0, n)
                    .mapToObj(i -> "model M" + i + " {\n  input x: f32[B, 3]\n  output o = x * " + i + "\n}\n").collect(Collectors.joining())));
            l.add(Case.of("many-overloads-" + n, IntStream.range(0, n)
                    .mapToObj(i -> "fn f(x: f32[" + (i + 1) + "]) -> f32[" + (i + 1) + "] = x\n").collect(Collectors.joining("", "", model("f(x)")))));
        }
        l.add(Case.of("many-errors", model("x + ".repeat(50) + "y") + "model M {\n  output o = q\n}\n".repeat(2000)));
        l.add(Case.of("many-bad-chars", "#".repeat(20_000)));
        l.add(Case.of("many-lines", "\n".repeat(200_000) + "model M {\n  input x: f32[3]\n  output o = x +\n}\n"));
        l.add(Case.of("long-line", model("x" + " + x".repeat(1000)) + " ".repeat(500_000) + "!"));
        l.add(Case.of("long-identifier", model("x" + "a".repeat(200_000))));
        l.add(Case.of("long-identifier-valid", "model M {\n  input x" + "a".repeat(100_000) + ": f32[3]\n  output o = x" + "a".repeat(100_000) + "\n}\n"));
        l.add(Case.of("long-unknown-name", "model M {\n  input x" + "a".repeat(100_000) + ": f32[3]\n  output o = y" + "a".repeat(100_000) + "\n}\n"));
        l.add(Case.of("long-pack-overloads", "fn f(x: f32[*S" + "a".repeat(100_000) + "]) = x\nfn f(x: i32[*S" + "a".repeat(100_000) + "]) = x\n"));
        l.add(Case.of("long-dim-overloads", "fn f(x: f32[N" + "a".repeat(100_000) + "]) = x\nfn f(x: i32[N" + "a".repeat(100_000) + "]) = x\n"));
        l.add(Case.of("long-dim-variable", "model M {\n  input x: f32[B" + "a".repeat(100_000) + "]\n  output o = x\n}\n"));
        l.add(Case.of("long-string", model("gelu(x, approximate=\"" + "a".repeat(200_000) + "\")")));
        l.add(Case.of("long-comment", "/*" + "*".repeat(200_000) + "*/" + model("x")));
        l.add(Case.of("huge-int", model("x + " + "9".repeat(100_000))));
        l.add(Case.of("huge-float", model("x + " + "9".repeat(100_000) + ".5")));
        l.add(Case.of("huge-exponent", model("x * 1e" + "9".repeat(1000))));
        l.add(Case.of("tiny-float", model("x * 0." + "0".repeat(100_000) + "1")));
        l.add(Case.of("huge-dim-literal", "model M {\n  input x: f32[" + "9".repeat(1000) + "]\n  output o = x\n}\n"));
        for (String dims : List.of("1000000", "1000000000000", "1000000000000, 1000000000000", "1000000000000, 1000000000000, 1000000000000",
                "9223372036854775807", "9223372036854775807, 2", "B, 9223372036854775807", "0", "0, 0", "-1", "B - B",
                "B * 9223372036854775807", "4611686018427387904, 4")) {
            for (String e : List.of("x + 1", "sum(x)", "flatten(x)", "reshape(x, [-1])", "x @ x.T", "softmax(x)", "x[::2]", "x[::-1]",
                    "mean(x, axis=-1, keepdims=true)", "one_hot(cast(x, i32), 9223372036854775807)", "concat((x, x, x))",
                    "stack((x, x))", "broadcast_to(x, [9223372036854775807, 9223372036854775807])", "transpose(x)")) {
                l.add(Case.of("dims[" + dims + "]:" + e, modelWith("  input x: f32[" + dims + "]\n", e)));
            }
            l.add(Case.of("param-dims[" + dims + "]", "import std.nn.*\nmodel M {\n  input x: f32[B, 3]\n  param w: f32[" + dims
                    + "] = he_normal()\n  output o = x\n  loss = sum(w)\n  train {\n    optimizer = adam()\n  }\n}\n"));
        }
        for (String conv : List.of("stride=9223372036854775807", "dilation=9223372036854775807", "dilation=4611686018427387904",
                "stride=(9223372036854775807, 1)", "padding=\"same\", stride=9223372036854775807", "stride=0", "dilation=0",
                "stride=-9223372036854775807", "padding=\"same\", dilation=4611686018427387904")) {
            l.add(Case.of("conv:" + conv, modelWith("  input x: f32[B, 28, 28, 1]\n  input k: f32[3, 3, 1, 8]\n", "conv2d(x, k, " + conv + ")")));
            l.add(Case.of("conv-huge:" + conv, modelWith("  input x: f32[B, 9223372036854775807, 9223372036854775807, 1]\n"
                    + "  input k: f32[9223372036854775807, 3, 1, 8]\n", "conv2d(x, k, " + conv + ")")));
        }
        for (String pool : List.of("9223372036854775807", "2, stride=9223372036854775807", "(9223372036854775807, 1)", "0", "-1",
                "2, stride=0", "2, padding=\"same\", stride=9223372036854775807")) {
            l.add(Case.of("pool:" + pool, modelWith("  input x: f32[B, 28, 28, 1]\n", "maxpool2d(x, " + pool + ")")));
            l.add(Case.of("pool-huge:" + pool, modelWith("  input x: f32[B, 9223372036854775807, 9223372036854775807, 1]\n", "avgpool2d(x, " + pool + ")")));
        }
        for (String ix : List.of("[9223372036854775807]", "[-9223372036854775807]", "[-9223372036854775807 - 1]",
                "[::9223372036854775807]", "[::-9223372036854775807]", "[::-9223372036854775807 - 1]", "[::-9223372036854775808]",
                "[9223372036854775807::-1]", "[-9223372036854775807:9223372036854775807]", "[1:-1:9223372036854775807]")) {
            l.add(Case.of("index" + ix, modelWith("  input x: f32[10]\n", "x" + ix)));
            l.add(Case.of("index-symbolic" + ix, modelWith("  input x: f32[B]\n", "x" + ix)));
        }
        for (String ax : List.of("9223372036854775807", "-9223372036854775807", "-9223372036854775807 - 1", "(0, 9223372036854775807)")) {
            for (String op : List.of("sum(x, axis=%s)", "unsqueeze(x, %s)", "squeeze(x, axis=%s)", "softmax(x, axis=%s)",
                    "transpose(x, (%s, 0))", "concat((x, x), axis=%s)", "stack((x, x), axis=%s)", "argmax(x, axis=%s)")) {
                l.add(Case.of("axis:" + op.formatted(ax), modelWith("  input x: f32[B, 3]\n", op.formatted(ax))));
            }
        }
        for (String r : List.of("[9223372036854775807, -1]", "[0, -1]", "[-1, 0]", "[B * 9223372036854775807, -1]",
                "[9223372036854775807, 9223372036854775807]", "[B, -9223372036854775807]", "[-1, -1]")) {
            l.add(Case.of("reshape" + r, modelWith("  input x: f32[B, 8]\n", "reshape(x, " + r + ")")));
        }
        l.add(Case.of("train-huge", "import std.nn.*\nmodel M {\n  input x: f32[B, 3]\n  param w: f32[3] = zeros()\n  loss = sum(x * w)\n"
                + "  train {\n    optimizer = adam(lr=1e999)\n    batch = 99999999999999999999\n    epochs = -9223372036854775807\n    seed = 9223372036854775807\n  }\n}\n"));
        l.add(Case.of("self-import", "import \"fuzz.model\"\nmodel M {\n}\n"));
        l.add(Case.of("import-dir", "import \".\"\nimport \"..\"\nimport \"/\"\nimport \"\"\n"));
        l.add(Case.of("import-nul", "import \"a\0b.model\"\n"));
        l.add(Case.of("import-weird-std", "import std\nimport std.\nimport std.nn.nn\nimport std.*\nimport std.nn.*.*\n"));
        return l;
    }

    // ---- running one case ----------------------------------------------------------------------------

    static Path caseDir(Case c) throws IOException {
        if (c.files().isEmpty()) return tmp;
        Path dir = Files.createTempDirectory(tmp, "case");
        for (var f : c.files().entrySet()) write(dir.resolve(f.getKey()), f.getValue());
        return dir;
    }

    /** Compiles and checks the properties; throws AssertionError with the reason when one fails. */
    static Outcome check(Case c, Path dir) {
        long t0 = System.nanoTime();
        Compilation comp = Frontend.create().compileString(c.name(), c.text(), dir);
        List<Diagnostic> diags = comp.diagnostics();
        boolean anyError = diags.stream().anyMatch(Diagnostic::isError);
        if (comp.hasErrors()) {
            if (!anyError) throw new AssertionError("hasErrors() but no error diagnostic among " + diags);
            String rendered = comp.renderDiagnostics();
            if (rendered == null || rendered.isEmpty()) throw new AssertionError("renderDiagnostics() is empty");
        } else {
            if (anyError) throw new AssertionError("an error diagnostic but hasErrors() is false: " + diags);
            comp.typedText();
            comp.renderDiagnostics();
        }
        comp.astText();
        for (var d : diags) {
            if (d.code() == null || d.code().isBlank()) throw new AssertionError("diagnostic without a code: " + d);
            if (d.message() == null) throw new AssertionError("diagnostic without a message: " + d);
            checkSpan(d.span(), d);
            for (var n : d.notes()) checkSpan(n.span(), d);
        }
        return new Outcome(comp.hasErrors(), System.nanoTime() - t0);
    }

    static void checkSpan(Span s, Diagnostic d) {
        if (s == null) throw new AssertionError("diagnostic without a span: " + d.code() + ": " + d.message());
        if (s.source() == null) throw new AssertionError("span without a source: " + d.code() + ": " + d.message());
        int len = s.source().text().length();
        boolean ok = 0 <= s.start() && s.start() <= s.end() && s.end() <= len
                && s.line() >= 1 && s.line() <= s.source().lineCount()
                && s.endLine() >= s.line() && s.endLine() <= s.source().lineCount()
                && s.column() >= 1 && s.endColumn() >= 1;
        if (!ok) {
            throw new AssertionError("span outside its source (" + len + " chars, " + s.source().lineCount() + " lines): start="
                    + s.start() + " end=" + s.end() + " line=" + s.line() + ":" + s.column() + " to " + s.endLine() + ":"
                    + s.endColumn() + " in " + s.source().displayName() + " for " + d.code() + ": " + abbreviate(d.message()));
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    // ---- the driver ------------------------------------------------------------------------------------

    static final class Run {
        final long seed;
        final String tag;
        final String replay;
        final long timeoutMs = Long.getLong("fuzz.timeoutMs", 2000);
        final List<String> failures = new ArrayList<>();
        int clean, errors, hangs, slowest;
        long slowestNanos;
        String slowestLabel = "";

        /** A run of the generator with {@code seed}, or (tag "pathological") of the fixed list. */
        Run(long seed, String tag) {
            this.seed = seed;
            this.tag = tag;
            this.replay = tag.equals("pathological") ? "-Dtest=FrontEndFuzzTest#pathologicalInputsNeverCrashOrHang -Dfuzz.only="
                    : "-Dtest=FrontEndFuzzTest#mutatedSourcesNeverCrashOrHang -Dfuzz.seed=" + Long.toUnsignedString(seed) + " -Dfuzz.only=";
        }

        /** Runs one case on the worker with the time bound; records a failure and saves the input. */
        void run(int index, Case c) throws Exception {
            Path dir = caseDir(c);
            Future<Outcome> f = executor.submit(() -> check(c, dir));
            try {
                Outcome o = f.get(timeoutMs, TimeUnit.MILLISECONDS);
                if (o.errors()) errors++;
                else clean++;
                if (o.nanos() > slowestNanos) {
                    slowestNanos = o.nanos();
                    slowestLabel = c.label() + " (case " + index + ")";
                }
            } catch (TimeoutException hang) {
                String where = stackOfWorker();
                f.cancel(true);
                hangs++;
                // the stuck thread cannot be stopped; abandon it to a fresh worker
                executor.shutdownNow();
                executor = newWorker();
                record(index, c, "did not finish within " + timeoutMs + " ms", "the worker was at:\n" + where);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                record(index, c, (cause instanceof AssertionError ? "property violated: " : "threw ") + abbreviate(String.valueOf(cause)),
                        stackOf(cause));
            }
        }

        void record(int index, Case c, String what, String trace) throws IOException {
            Files.createDirectories(FAILURES);
            String base = tag + "-case-" + index;
            write(FAILURES.resolve(base + ".model"), c.text());
            for (var file : c.files().entrySet()) write(FAILURES.resolve(base + "." + file.getKey()), file.getValue());
            write(FAILURES.resolve(base + ".txt"), tag + ", case " + index + " (" + c.label() + "): " + what
                    + "\nreplay: " + replay + index + "\nfiles imported by it (saved beside it as " + base + ".NAME): "
                    + c.files().keySet() + "\n\n" + trace);
            failures.add(tag + " case " + index + " (" + c.label() + "): " + what
                    + "\n    input saved as " + FAILURES.resolve(base + ".model").toAbsolutePath()
                    + "\n    replay with " + replay + index);
        }

        boolean stop() { return failures.size() >= MAX_REPORTED || hangs >= 3; }
    }

    /** Writes text as UTF-8; a lone surrogate becomes '?', as any editor would save it. */
    static void write(Path p, String text) throws IOException {
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    }

    static String stackOfWorker() {
        Thread t = workerThread;
        if (t == null) return "(unknown)";
        var sb = new StringBuilder();
        for (var e : t.getStackTrace()) sb.append("\tat ").append(e).append('\n');
        return sb.toString();
    }

    static String stackOf(Throwable t) {
        var sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    static long caseSeed(long seed, int index) {
        // a well-mixed seed per case, so a case replays alone
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static void warmUp() {
        var ex = Path.of("..", "examples", "mnist_cnn.model");
        String text = Files.isRegularFile(ex) ? readQuietly(ex) : "import std.nn.*\nmodel M {\n  input x: f32[B, 3]\n  output o = relu(x)\n}\n";
        for (int i = 0; i < 5; i++) Frontend.create().compileString("warm.model", text);
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void mutatedSourcesNeverCrashOrHang() throws Exception {
        long seed = Long.parseUnsignedLong(System.getProperty("fuzz.seed", Long.toUnsignedString(DEFAULT_SEED)));
        int cases = Integer.getInteger("fuzz.cases", DEFAULT_CASES);
        int only = Integer.getInteger("fuzz.only", -1);
        var corpus = corpus();
        warmUp();

        var run = new Run(seed, "seed-" + Long.toUnsignedString(seed));
        long t0 = System.nanoTime();
        int done = 0;
        for (int i = 0; i < cases && !run.stop(); i++) {
            if (only >= 0 && i != only) continue;
            Case c = new Gen(caseSeed(seed, i), corpus).next();
            run.run(i, c);
            done++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fuzz: seed %s, %d mutated cases from %d sources in %.1f s (%.0f cases/s): %d compiled cleanly, %d with errors,"
                        + " %d failures; slowest %.0f ms (%s)%n",
                Long.toUnsignedString(seed), done, corpus.size(), secs, done / Math.max(secs, 1e-9), run.clean, run.errors,
                run.failures.size(), run.slowestNanos / 1e6, run.slowestLabel);
        if (!run.failures.isEmpty()) fail(run.failures.size() + " fuzz failure(s):\n  " + String.join("\n  ", run.failures));
    }

    @Test
    void pathologicalInputsNeverCrashOrHang() throws Exception {
        warmUp();
        var all = pathological();
        int only = Integer.getInteger("fuzz.only", -1);
        var run = new Run(0, "pathological");
        long t0 = System.nanoTime();
        for (int i = 0; i < all.size() && !run.stop(); i++) {
            if (only >= 0 && i != only) continue;
            run.run(i, all.get(i));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fuzz: %d pathological cases in %.1f s (%.0f cases/s): %d compiled cleanly, %d with errors, %d failures;"
                        + " slowest %.0f ms (%s)%n",
                all.size(), secs, all.size() / Math.max(secs, 1e-9), run.clean, run.errors, run.failures.size(),
                run.slowestNanos / 1e6, run.slowestLabel);
        if (!run.failures.isEmpty()) fail(run.failures.size() + " failure(s):\n  " + String.join("\n  ", run.failures));
    }

    @Test
    void generatorIsDeterministic() throws Exception {
        var corpus = corpus();
        for (int i = 0; i < 50; i++) {
            var a = new Gen(caseSeed(42, i), corpus).next();
            var b = new Gen(caseSeed(42, i), corpus).next();
            if (!a.equals(b)) fail("case " + i + " differs between two runs with the same seed");
        }
        assertFalse(pathological().isEmpty());
    }

    // ---- minimal reproducers of the crashes the fuzzer found: these fail until the compiler is fixed ----

    /** Compiles on the fuzz worker (default stack) and checks the same properties as every fuzz case. */
    static Outcome compileChecked(String text) throws Exception {
        Future<Outcome> f = executor.submit(() -> check(Case.of("reproducer", text), tmp));
        try {
            return f.get(Long.getLong("fuzz.timeoutMs", 2000), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return fail("front end threw on\n" + abbreviate(text) + "\n" + stackOf(e.getCause()));
        } catch (TimeoutException e) {
            String where = stackOfWorker();
            executor.shutdownNow();
            executor = newWorker();
            return fail("front end did not finish on\n" + abbreviate(text) + "\nthe worker was at:\n" + where);
        }
    }

    /** {@code import "a<NUL>b.model"}: InvalidPathException (Nul character not allowed) escapes compileString. */
    @Test
    void reproducerNulInImportPath() throws Exception {
        var o = compileChecked("import \"a\0b.model\"\n");
        if (!o.errors()) fail("an import path with a NUL character should be an error");
    }

    /**
     * {@code import "\uD800"} (a lone surrogate, possible in a String given to compileString): InvalidPathException
     * (Malformed input or input contains unmappable characters) escapes. Under a non-UTF-8 locale
     * (sun.jnu.encoding=ANSI_X3.4-1968, e.g. LANG=C) the same happens for any non-ASCII path such as
     * {@code import "\u00e9.model"}.
     */
    @Test
    void reproducerUnmappableImportPath() throws Exception {
        var o = compileChecked("import \"\uD800.model\"\n");
        if (!o.errors()) fail("an import path that is not a valid file name should be an error");
    }

    /**
     * A slice step of Long.MIN_VALUE on a symbolic axis: IllegalArgumentException ("floor division by non-positive
     * -9223372036854775808") from Indexing.sliceLength negating the step.
     */
    @Test
    void reproducerMinLongSliceStepOnSymbolicAxis() throws Exception {
        compileChecked("model M {\n  input x: f32[B]\n  output o = x[::-9223372036854775807 - 1]\n}\n");
    }

    /**
     * A parameter type with two shape packs (itself an error, "a type may hold only one shape pack"), called with a
     * rank-3 argument: IndexOutOfBoundsException (toIndex = 4) from Unifier.matchShape. Found by the fuzzer as a
     * token swap in std/losses.model ({@code fn nll(logp: f32[*S, *S], ...)} called from cross_entropy).
     */
    @Test
    void reproducerTwoShapePacksInOneParameter() throws Exception {
        var o = compileChecked("fn f(x: f32[*S, *T]) = x\nmodel M {\n  input x: f32[2, 3, 4]\n  output o = f(x)\n}\n");
        if (!o.errors()) fail("two shape packs in one type should be an error");
    }

    /**
     * A long flat chain of {@code and} (which the parser's nesting limit does not cover, unlike {@code +} chains):
     * the checker overflows its stack (reported as the "nesting" error, fine), and then {@code astText()} throws
     * StackOverflowError in AstPrinter.expr.
     */
    @Test
    void reproducerAstTextOfLongAndChain() throws Exception {
        compileChecked("model M {\n  input x: f32[3]\n  output o = " + "x > 0 and ".repeat(50_000) + "x > 0\n}\n");
    }

    /**
     * A long sum in a dimension, {@code f32[B + B + ... + B]}: at one point the parser accepted 5,000 terms and
     * {@code astText()} threw StackOverflowError in AstPrinter.dim.
     */
    @Test
    void reproducerAstTextOfLongDimensionSum() throws Exception {
        compileChecked("model M {\n  input x: f32[" + "B + ".repeat(50_000) + "B]\n  output o = x\n}\n");
        compileChecked("model M {\n  input x: f32[" + "B + ".repeat(5_000) + "B]\n  output o = x\n}\n");
    }

    /**
     * Two overloads whose parameter types use a long shape-pack name: Checker.canonical builds a regex from the
     * name ({@code replaceAll("\\*" + pack + "\\b", ...)}) and compiling it is quadratic in its length
     * (Pattern$BnM.optimize): 65,536 characters take about 7 s, and a mutated std/losses.model whose {@code *S} was
     * renamed to 200,000 characters did not finish in minutes. Found by the fuzzer (seed 11).
     */
    @Test
    void reproducerLongShapePackNameInOverloads() throws Exception {
        String pack = "S" + "a".repeat(65_536);
        compileChecked("fn f(x: f32[*" + pack + "]) = x\nfn f(x: i32[*" + pack + "]) = x\n");
    }

    /**
     * An unknown name next to a known one of the same length: the "did you mean" search (Suggestions.distance)
     * runs a full Levenshtein over both names, quadratic in their length: 30,000 characters take about 2.4 s and
     * 65,536 about 11 s (its only cut-off is a length difference over 3).
     */
    @Test
    void reproducerLongUnknownNameSuggestion() throws Exception {
        String tail = "a".repeat(65_536);
        compileChecked("model M {\n  input x" + tail + ": f32[3]\n  output o = y" + tail + "\n}\n");
    }
}
