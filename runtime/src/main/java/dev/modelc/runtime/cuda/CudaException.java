package dev.modelc.runtime.cuda;

/**
 * A CUDA driver call that failed, or a device that cannot be used. The message names the call,
 * what it was working on (a kernel, a module), and the driver's name and description of the
 * error, e.g. {@code cuLaunchKernel(k3_matmul_s0) failed: CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (too
 * many resources requested for launch)}.
 */
public final class CudaException extends RuntimeException {
    /** The driver's code for an allocation that did not fit ({@code CUDA_ERROR_OUT_OF_MEMORY}). */
    public static final int OUT_OF_MEMORY = 2;

    private final int code;
    private final String errorName;

    public CudaException(String message) {
        this(message, 0, "", null);
    }

    private CudaException(String message, int code, String errorName, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.errorName = errorName;
    }

    /**
     * The exception for a driver call that returned {@code code}.
     *
     * @param subject what the call worked on (a kernel or module name), or null
     * @param detail more the driver said (a JIT log), or empty
     */
    public static CudaException failed(String call, String subject, int code, String errorName, String errorString, String detail) {
        var sb = new StringBuilder(call);
        if (subject != null) sb.append('(').append(subject).append(')');
        sb.append(" failed: ").append(errorName).append(" (").append(errorString).append(')');
        if (detail != null && !detail.isBlank()) sb.append(":\n").append(detail.strip());
        return new CudaException(sb.toString(), code, errorName, null);
    }

    /** The same failure, its message prefixed with where it happened (an entry being run). */
    public CudaException in(String where) {
        return new CudaException(where + ": " + getMessage(), code, errorName, this);
    }

    /** The driver's {@code CUresult}, or 0 where the failure is not a driver call's. */
    public int code() { return code; }

    /** The driver's name for the error, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}; empty if none. */
    public String errorName() { return errorName; }
}
