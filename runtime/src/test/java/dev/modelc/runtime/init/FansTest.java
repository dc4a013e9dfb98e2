package dev.modelc.runtime.init;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FansTest {
    @Test
    void followTheKerasTable() {
        assertEquals(new Fans(1, 1), Fans.of());
        assertEquals(new Fans(10, 10), Fans.of(10));
        assertEquals(new Fans(784, 256), Fans.of(784, 256));
        assertEquals(new Fans(9, 288), Fans.of(3, 3, 1, 32)); // conv HWIO
        assertEquals(new Fans(5 * 3 * 4, 5 * 3 * 6), Fans.of(5, 3, 4, 6));
        assertEquals(new Fans(0, 0), Fans.of(0, 7, 3));
    }

    @Test
    void nPerModeIsAtLeastOne() {
        Fans f = Fans.of(3, 3, 1, 32);
        assertEquals(9.0, f.n("fan_in"));
        assertEquals(288.0, f.n("fan_out"));
        assertEquals(148.5, f.n("fan_avg"));
        assertEquals(1.0, Fans.of(0, 4).n("fan_in"));
        assertThrows(IllegalArgumentException.class, () -> f.n("fan_max"));
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Fans.of(-1, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> Fans.of(1L << 40, 0, 1L << 40));
        assertEquals("the fans of shape (1099511627776, 0, 1099511627776) overflow a long", e.getMessage());
    }
}
