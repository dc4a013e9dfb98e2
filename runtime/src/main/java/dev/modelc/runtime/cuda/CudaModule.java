package dev.modelc.runtime.cuda;

import java.util.HashMap;
import java.util.Map;

/**
 * A PTX module loaded on a device, and its kernels looked up by name (each looked up once).
 * Unloaded on {@link #close}; close the runners that launch its kernels first.
 */
public final class CudaModule implements AutoCloseable {
    private final CudaDriver driver;
    private final CudaDriver.ModuleHandle handle;
    private final Map<String, CudaDriver.FunctionHandle> functions = new HashMap<>();
    private boolean closed;

    private CudaModule(CudaDriver driver, CudaDriver.ModuleHandle handle) {
        this.driver = driver;
        this.handle = handle;
    }

    /**
     * JIT-compiles {@code ptx} for the driver's device.
     *
     * @param name what to call the module in messages (the entry or program name)
     * @throws CudaException if the driver rejects it; the message carries the JIT's error log
     */
    public static CudaModule load(CudaDriver driver, String name, String ptx) {
        return new CudaModule(driver, driver.loadModule(name, ptx));
    }

    public CudaDriver driver() { return driver; }

    public String name() { return handle.name(); }

    /** What the JIT compiler said while loading the module (warnings), or empty. */
    public String jitLog() { return handle.jitLog(); }

    /** The kernel called {@code name}. */
    public synchronized CudaDriver.FunctionHandle function(String name) {
        if (closed) throw new IllegalStateException("module " + name() + " is unloaded");
        return functions.computeIfAbsent(name, n -> driver.function(handle, n));
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        functions.clear();
        driver.unloadModule(handle);
    }
}
