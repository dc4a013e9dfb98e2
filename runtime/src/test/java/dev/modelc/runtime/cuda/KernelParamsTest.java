package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class KernelParamsTest {
    @Test
    void eachPointerPointsAtItsOwnEightByteValue() {
        try (var arena = Arena.ofConfined()) {
            var params = KernelParams.of(arena, 0x7f0000001000L, -1L, 42L);
            assertEquals(3, params.count());
            assertArrayEquals(new long[] {0x7f0000001000L, -1L, 42L}, params.values());
            long first = params.pointers().getAtIndex(ValueLayout.ADDRESS, 0).address();
            assertEquals(first + 8, params.pointers().getAtIndex(ValueLayout.ADDRESS, 1).address());
            assertEquals(0, first % 8, "aligned as an int64_t");
            assertThrows(IndexOutOfBoundsException.class, () -> params.value(3));
        }
    }

    @Test
    void aKernelWithoutParametersStillGetsAnArray() {
        try (var arena = Arena.ofConfined()) {
            var params = KernelParams.of(arena);
            assertEquals(0, params.count());
            assertTrue(params.pointers().byteSize() > 0);
        }
    }
}
