package dev.modelc.api.golden;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CaseTomlTest {
    private static Map<String, Double> parse(String text) { return CaseToml.parse("c/case.toml", List.of(text.split("\n", -1))); }

    @Test
    void readsKeysCommentsAndBlankLines() {
        assertEquals(Map.of("rtol", 1e-4, "atol", 3e-4), parse("# logits of +-1000\n\nrtol = 1e-4\natol=0.0003   # an f32 ulp of 1000\n"));
        assertEquals(Map.of(), parse(""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        rtol = 1e-4\\nrtol = 2e-4  | c/case.toml:2: rtol is set twice
        # x\\ntolerance = 1          | c/case.toml:2: unknown key 'tolerance'; the keys are rtol, atol
        rtol = abc                  | c/case.toml:1: rtol must be a number, not 'abc'
        atol = -1e-5                | c/case.toml:1: atol must be finite and not negative
        atol = 1e999                | c/case.toml:1: atol must be finite and not negative
        [tolerances]                | c/case.toml:1: expected 'key = number', found '[tolerances]'
        rtol = 1e-4 2               | c/case.toml:1: expected 'key = number', found 'rtol = 1e-4 2'
        """)
    void rejectsAnythingElseNamingFileAndLine(String text, String message) {
        var e = assertThrows(GoldenException.class, () -> parse(text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }
}
