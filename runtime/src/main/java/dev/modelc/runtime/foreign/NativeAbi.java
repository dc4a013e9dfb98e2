package dev.modelc.runtime.foreign;

/**
 * The version of the calling convention between modelc's native kernels and their callers: the
 * entry signature ({@link NativeProgram}), the status codes ({@link NativeStatus}) and the
 * native runtime's descriptions of buffers ({@code modelc_rt.h}, whose {@code MODELC_RT_ABI}
 * must equal it). A library's C API refuses a caller built against another version.
 */
public final class NativeAbi {
    private NativeAbi() {}

    public static final int VERSION = 1;
}
