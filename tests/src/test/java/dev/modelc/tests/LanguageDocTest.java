package dev.modelc.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.Frontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every code block of docs/language.md tagged {@code model} compiles without errors, and every
 * block tagged {@code model-error} is rejected: the reference cannot drift from the compiler.
 */
class LanguageDocTest {
    private static final Path DOC = Path.of("../docs/language.md");

    record Block(int line, String tag, String text) {}

    static List<Block> blocks(List<String> lines) {
        var out = new ArrayList<Block>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.startsWith("```") || l.length() == 3) continue;
            String tag = l.substring(3).strip();
            var body = new StringBuilder();
            int start = i + 1;
            for (i = i + 1; i < lines.size() && !lines.get(i).strip().equals("```"); i++) body.append(lines.get(i)).append('\n');
            out.add(new Block(start + 1, tag, body.toString()));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> codeBlocks() throws IOException {
        var all = blocks(Files.readAllLines(DOC));
        var checked = all.stream().filter(b -> b.tag().equals("model") || b.tag().equals("model-error")).toList();
        assertTrue(checked.size() >= 10, "docs/language.md should show at least 10 checked programs, found " + checked.size());
        return checked.stream().map(b -> DynamicTest.dynamicTest("language.md:" + b.line() + " (" + b.tag() + ")", () -> {
            var c = Frontend.create().compileString("language.md:" + b.line(), b.text(), DOC.getParent());
            if (b.tag().equals("model")) assertFalse(c.hasErrors(), "block at line " + b.line() + ":\n" + c.renderDiagnostics());
            else assertTrue(c.hasErrors(), "block at line " + b.line() + " is tagged model-error but compiles");
        }));
    }
}
