package dev.modelc.runtime.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this machine can run CUDA code, and if not why, in one line: {@code no NVIDIA driver
 * (libcuda.so.1 not found)}, {@code cuInit failed: …} or {@code no CUDA device}. Probed once per
 * process (loading the driver and {@code cuInit} are not repeated), never by throwing.
 *
 * @param devices the usable devices, empty when there are none
 * @param problem why CUDA cannot be used, or null when it can
 */
public record CudaAvailability(List<CudaDevice> devices, String problem) {
    private static CudaAvailability probed;

    public CudaAvailability {
        devices = List.copyOf(devices);
        if (problem == null && devices.isEmpty()) problem = "no CUDA device";
    }

    /** The answer for this process, probed on the first call. */
    public static synchronized CudaAvailability probe() {
        if (probed == null) probed = probeNow();
        return probed;
    }

    private static CudaAvailability probeNow() {
        try {
            LibCuda lib = LibCuda.get();
            lib.init();
            var devices = new ArrayList<CudaDevice>();
            for (int i = 0, n = lib.deviceCount(); i < n; i++) devices.add(lib.describe(i));
            return new CudaAvailability(devices, null);
        } catch (CudaException e) {
            return new CudaAvailability(List.of(), oneLine(e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            // e.g. native access not enabled for this module: still an answer, not a crash
            return new CudaAvailability(List.of(), oneLine("cannot use the CUDA driver: " + e));
        }
    }

    private static String oneLine(String s) { return s.strip().replaceAll("\\s*\\R\\s*", "; "); }

    public boolean available() { return problem == null; }

    /** One line: the devices, or why there are none. */
    public String summary() {
        if (!available()) return problem;
        var sb = new StringBuilder();
        for (var d : devices) sb.append(sb.isEmpty() ? "" : "; ").append(d.describe());
        return sb.toString();
    }
}
