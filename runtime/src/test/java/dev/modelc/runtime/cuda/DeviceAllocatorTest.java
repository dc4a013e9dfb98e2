package dev.modelc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceAllocatorTest {
    private final FakeCudaDriver driver = new FakeCudaDriver();

    @Test
    void sizesRoundUpToFourClassesPerPowerOfTwo() {
        assertEquals(512, DeviceAllocator.sizeClass(0));
        assertEquals(512, DeviceAllocator.sizeClass(512));
        assertEquals(640, DeviceAllocator.sizeClass(513));
        assertEquals(1024, DeviceAllocator.sizeClass(1000));
        assertEquals(1280, DeviceAllocator.sizeClass(1025));
        assertEquals(5L << 18, DeviceAllocator.sizeClass((1L << 20) + 1));
        for (long bytes = 513; bytes < 1 << 20; bytes = bytes * 9 / 7 + 1) {
            long size = DeviceAllocator.sizeClass(bytes);
            assertTrue(size >= bytes && size < bytes * 1.25 + 1, bytes + " -> " + size);
            assertEquals(size, DeviceAllocator.sizeClass(size), "a class is its own class");
        }
    }

    @Test
    void aReleasedBlockServesTheNextRequestOfItsClass() {
        try (var allocator = new DeviceAllocator(driver)) {
            var a = allocator.allocate(1000);
            assertEquals(1024, a.size());
            allocator.release(a);
            assertEquals(1024, allocator.cachedBytes());
            var b = allocator.allocate(900);
            assertEquals(a, b);
            assertEquals(1, driver.calls("alloc").size());
            var c = allocator.allocate(2000);
            assertNotEquals(a.address(), c.address());
            assertEquals(2, driver.calls("alloc").size());
            assertEquals(1024 + 2048, allocator.reservedBytes());
            assertEquals(0, allocator.cachedBytes());
        }
    }

    @Test
    void aBlockIsReleasedOnce() {
        try (var allocator = new DeviceAllocator(driver)) {
            var a = allocator.allocate(10);
            allocator.release(a);
            assertThrows(IllegalArgumentException.class, () -> allocator.release(a));
            assertThrows(IllegalArgumentException.class, () -> allocator.release(new DeviceAllocator.Block(12345, 512)));
        }
    }

    @Test
    void closingFreesEveryBlockInUseOrCached() {
        var allocator = new DeviceAllocator(driver);
        var kept = allocator.allocate(100);
        allocator.release(allocator.allocate(5000));
        allocator.close();
        assertEquals(Map.of(), driver.live());
        assertEquals(2, driver.calls("free").size());
        assertThrows(IllegalStateException.class, () -> allocator.allocate(1));
        allocator.release(kept); // harmless: its memory went with the allocator
        allocator.close();
        assertEquals(2, driver.calls("free").size(), "closing twice frees nothing twice");
    }

    @Test
    void outOfMemoryFreesTheCacheAndTriesAgain() {
        try (var allocator = new DeviceAllocator(driver)) {
            driver.limitMemory(4096);
            allocator.release(allocator.allocate(2048));
            var big = allocator.allocate(3000);
            assertEquals(3072, big.size());
            assertEquals(1, driver.calls("free").size(), "the cached 2048 went to make room");
            assertEquals(0, allocator.cachedBytes());
            var e = assertThrows(CudaException.class, () -> allocator.allocate(3000));
            assertEquals("cuMemAlloc_v2(3072 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)", e.getMessage());
        }
    }

    @Test
    void trimFreesOnlyWhatIsCached() {
        try (var allocator = new DeviceAllocator(driver)) {
            var used = allocator.allocate(600);
            allocator.release(allocator.allocate(600));
            allocator.trim();
            assertEquals(Map.of(used.address(), used.size()), driver.live());
        }
    }
}
