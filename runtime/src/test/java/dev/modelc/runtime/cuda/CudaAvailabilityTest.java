package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class CudaAvailabilityTest {
    @Test
    void theAnswerIsOneLineAndNeverAnException() {
        var a = CudaAvailability.probe();
        assertSame(a, CudaAvailability.probe(), "probed once");
        String summary = a.summary();
        assertFalse(summary.isBlank());
        assertFalse(summary.contains("\n"), summary);
        if (a.available()) {
            assertFalse(a.devices().isEmpty());
        } else {
            assertTrue(a.devices().isEmpty());
            assertTrue(summary.equals("no NVIDIA driver (libcuda.so.1 not found)") || summary.startsWith("cuInit failed: ")
                    || summary.equals("no CUDA device") || summary.startsWith("the NVIDIA driver is too old"), summary);
        }
    }

    @Test
    void noDevicesIsAReason() {
        var none = new CudaAvailability(List.of(), null);
        assertFalse(none.available());
        assertEquals("no CUDA device", none.summary());
        var one = new CudaAvailability(List.of(new CudaDevice(0, "NVIDIA H100 80GB HBM3", 9, 0, 132, 2048, 85L << 30)), null);
        assertTrue(one.available());
        assertEquals("0: NVIDIA H100 80GB HBM3 (sm_90, 132 multiprocessors, 85.0 GiB)", one.summary());
    }
}
