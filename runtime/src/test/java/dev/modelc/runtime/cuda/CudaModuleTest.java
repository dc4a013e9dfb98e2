package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CudaModuleTest {
    @Test
    void functionsAreLookedUpOnceAndTheModuleUnloadedOnce() {
        var driver = new FakeCudaDriver();
        driver.kernel("k0", l -> {});
        var module = CudaModule.load(driver, "m", "// ptx");
        assertSame(module.function("k0"), module.function("k0"));
        assertEquals(1, driver.calls("function").size());
        module.close();
        module.close();
        assertEquals(1, driver.calls("unload").size());
        assertThrows(IllegalStateException.class, () -> module.function("k0"));
    }

    @Test
    void aLoadFailureIsTheDriversError() {
        var driver = new FakeCudaDriver();
        driver.failNext("load", 218, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed");
        var e = assertThrows(CudaException.class, () -> CudaModule.load(driver, "train", "garbage"));
        assertEquals("cuModuleLoadDataEx(train) failed: CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed)", e.getMessage());
    }
}
