package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CudaExceptionTest {
    @Test
    void theMessageNamesTheCallItsSubjectAndTheDriversError() {
        var e = CudaException.failed("cuLaunchKernel", "k3_matmul_s0", 701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
                "too many resources requested for launch", "");
        assertEquals("cuLaunchKernel(k3_matmul_s0) failed: CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (too many resources requested for launch)",
                e.getMessage());
        assertEquals(701, e.code());
        assertEquals("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", e.errorName());
        var in = e.in("train_step");
        assertEquals("train_step: " + e.getMessage(), in.getMessage());
        assertEquals(701, in.code());
        assertSame(e, in.getCause());
    }

    @Test
    void aJitLogFollowsOnItsOwnLines() {
        var e = CudaException.failed("cuModuleLoadDataEx", "train", 218, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed",
                "ptxas application ptx input, line 9; error   : Unknown symbol 'x'\n");
        assertEquals("cuModuleLoadDataEx(train) failed: CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed):\n"
                + "ptxas application ptx input, line 9; error   : Unknown symbol 'x'", e.getMessage());
        assertEquals("cuCtxSynchronize failed: CUDA_ERROR_UNKNOWN (unknown error)",
                CudaException.failed("cuCtxSynchronize", null, 999, "CUDA_ERROR_UNKNOWN", "unknown error", "").getMessage());
    }
}
