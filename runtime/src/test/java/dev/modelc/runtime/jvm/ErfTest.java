package dev.modelc.runtime.jvm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Reference values computed with mpmath at 50 digits. */
class ErfTest {
    private static void close(double expected, double actual, double relative) {
        assertTrue(Math.abs(actual - expected) <= relative * Math.abs(expected),
                () -> "expected " + expected + " got " + actual + " (relative error " + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    @Test
    void erfMatchesKnownValuesToAboutAnUlp() {
        double[][] known = {
            {1e-300, 1.1283791670955125739e-300}, {1e-10, 1.1283791670955126e-10}, {0.1, 0.1124629160182848922},
            {0.5, 0.5204998778130465}, {0.9, 0.79690821242283212852}, {1, 0.8427007929497149},
            {1.5, 0.96610514647531072707}, {1.9999, 0.99532019790702939146}, {2, 0.9953222650189527},
            {2.5, 0.99959304798255504106}, {3, 0.99997790950300141456}, {-3, -0.9999779095030014},
            {4, 0.99999998458274209972}, {5.5, 0.99999999999999264215}, {6, 0.99999999999999997848},
        };
        for (double[] k : known) {
            close(k[1], Erf.erf(k[0]), 1e-15);
            close(-k[1], Erf.erf(-k[0]), 1e-15);
        }
    }

    @Test
    void erfcKeepsRelativeAccuracyInTheTail() {
        double[][] known = {
            {-2, 1.9953222650189527342}, {-0.5, 1.5204998778130465377}, {0.5, 0.47950012218695346232},
            {1, 0.15729920705028513066}, {1.5, 0.033894853524689272933}, {2, 0.0046777349810472658379},
            {3, 0.000022090496998585441373}, {5, 1.5374597944280348502e-12}, {10, 2.088487583762544757e-45},
            {20, 5.3958656116079009289e-176}, {26, 5.6631924088561428465e-296},
        };
        for (double[] k : known) close(k[1], Erf.erfc(k[0]), 2e-15);
    }

    @Test
    void edgeCases() {
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Erf.erf(40));
        assertEquals(0.0, Erf.erfc(40));
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)));
    }

    @Test
    void erfIsMonotoneAndOddOnAFineGrid() {
        double prior = -1;
        for (double x = -7; x <= 7; x += 1.0 / 1024) {
            double e = Erf.erf(x);
            assertTrue(e >= prior, "not monotone at " + x);
            assertEquals(-e, Erf.erf(-x), 0.0);
            assertEquals(1.0, e + Erf.erfc(x), 4e-16, "erf + erfc at " + x);
            prior = e;
        }
    }
}
