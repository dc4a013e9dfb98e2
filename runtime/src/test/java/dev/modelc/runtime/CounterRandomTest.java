package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CounterRandomTest {
    @Test
    void hashIsFnv1aOfUtf8ThenMix() {
        // Published FNV-1a 64-bit test vectors: "" and "a".
        assertEquals(CounterRandom.mix(0xCBF29CE484222325L), CounterRandom.hash(""));
        assertEquals(CounterRandom.mix(0xAF63DC4C8601EC8CL), CounterRandom.hash("a"));
        assertNotEquals(CounterRandom.hash("w1"), CounterRandom.hash("w2"));
        // UTF-8, not UTF-16: "é" is the two bytes C3 A9.
        long h = 0xCBF29CE484222325L;
        h = (h ^ 0xC3) * 0x100000001B3L;
        h = (h ^ 0xA9) * 0x100000001B3L;
        assertEquals(CounterRandom.mix(h), CounterRandom.hash("é"));
    }
}
