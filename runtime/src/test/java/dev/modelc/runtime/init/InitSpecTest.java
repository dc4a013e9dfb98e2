package dev.modelc.runtime.init;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitSpecTest {
    @Test
    void fillsDefaultsInDeclarationOrderAndReadsNumbersAsDoubles() {
        InitSpec normal = new InitSpec("normal", Map.of("std", 0.02));
        assertEquals(List.of("mean", "std"), List.copyOf(normal.args().keySet()));
        assertEquals(new InitSpec("normal", Map.of("mean", 0, "std", 0.02)), normal);
        assertEquals("normal(mean=0.0, std=0.02)", normal.toString());
        assertEquals(new InitSpec("uniform", Map.of("lo", 0.0, "hi", 1.0)), new InitSpec("uniform", Map.of()));
        assertEquals("variance_scaling(scale=1.0, mode=\"fan_in\", distribution=\"normal\")",
                new InitSpec("variance_scaling", Map.of()).toString());
        assertEquals("he_normal()", new InitSpec("he_normal", Map.of()).toString());
        assertEquals(2.0, new InitSpec("constant", Map.of("value", 2)).args().get("value"));
        assertThrows(UnsupportedOperationException.class, () -> normal.args().put("mean", 1.0));
    }

    @Test
    void rejectsBadSpecsClearly() {
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("value", null);
        assertMessage("unknown initialiser 'he_norml' (known: zeros, ones, constant, normal, uniform, he_normal, "
                + "he_uniform, glorot_normal, glorot_uniform, variance_scaling)", "he_norml", Map.of());
        assertMessage("constant(): argument 'value' is required", "constant", Map.of());
        assertMessage("constant(): argument 'value' is required", "constant", nullValue);
        assertMessage("normal() has no argument 'stddev' (it takes mean, std)", "normal", Map.of("stddev", 1.0));
        assertMessage("zeros() has no argument 'value'; it takes none", "zeros", Map.of("value", 1.0));
        assertMessage("variance_scaling(): argument 'mode' must be one of \"fan_in\", \"fan_out\", \"fan_avg\", not \"fan\"",
                "variance_scaling", Map.of("mode", "fan"));
        assertMessage("variance_scaling(): argument 'distribution' must be one of \"normal\", \"uniform\", not 1.0",
                "variance_scaling", Map.of("distribution", 1.0));
        assertMessage("normal(): argument 'mean' must be a finite number, not \"0\"", "normal", Map.of("mean", "0"));
        assertMessage("constant(): argument 'value' must be a finite number, not NaN", "constant", Map.of("value", Double.NaN));
        assertMessage("normal(): std must be >= 0, not -1.0", "normal", Map.of("std", -1.0));
        assertMessage("uniform(): needs lo < hi with a finite hi - lo, not lo=1.0, hi=1.0", "uniform", Map.of("lo", 1.0));
        assertMessage("uniform(): needs lo < hi with a finite hi - lo, not lo=-1.0E308, hi=1.0E308", "uniform",
                Map.of("lo", -1e308, "hi", 1e308));
        assertMessage("variance_scaling(): scale must be > 0, not 0.0", "variance_scaling", Map.of("scale", 0));
    }

    private static void assertMessage(String expected, String kind, Map<String, Object> args) {
        var e = assertThrows(IllegalArgumentException.class, () -> new InitSpec(kind, args));
        assertEquals(expected, e.getMessage());
    }
}
