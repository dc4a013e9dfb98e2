package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/**
 * NVIDIA's libdevice, the bitcode library of math functions for GPUs ({@code __nv_exp},
 * {@code __nv_log}, …), which kernels call where CPU code calls libm. It comes with the CUDA
 * toolkit and is needed only when PTX is generated, never to run it; modelc does not ship it.
 * Found at {@code -Dmodelc.libdevice=FILE}, else under {@code $CUDA_HOME}, {@code $CUDA_PATH} or
 * {@code /usr/local/cuda} in {@code nvvm/libdevice/libdevice.10.bc}.
 */
final class Libdevice {
    private Libdevice() {}

    static final String PREFIX = "__nv_";

    /** Where libdevice is on this machine, if anywhere. */
    static Optional<Path> find() {
        String explicit = System.getProperty("modelc.libdevice");
        if (explicit != null) return Optional.of(Path.of(explicit));
        List<String> roots = new ArrayList<>();
        for (String env : List.of("CUDA_HOME", "CUDA_PATH")) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) roots.add(v);
        }
        roots.add("/usr/local/cuda");
        roots.add("/usr/lib/cuda");
        for (String root : roots) {
            Path p = Path.of(root, "nvvm", "libdevice", "libdevice.10.bc");
            if (Files.isReadable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Whether {@code module} calls a libdevice function. */
    static boolean needed(LLVMModuleRef module) {
        for (var f = LLVMGetFirstFunction(module); f != null && !f.isNull(); f = LLVMGetNextFunction(f)) {
            if (LLVMIsDeclaration(f) != 0 && LLVMGetValueName(f).getString().startsWith(PREFIX)) return true;
        }
        return false;
    }

    /**
     * Links libdevice into {@code module} and makes every function but the kernels internal, so
     * that optimisation keeps only the math functions the kernels call.
     *
     * @param what the model and entry, for the error when libdevice is missing
     */
    static void link(LLVMModuleRef module, String what) {
        Path path = find().orElseThrow(() -> new UnsupportedOperationException(
                what + " calls math functions (exp, log, tanh, …) that GPU code takes from NVIDIA's libdevice, and no libdevice.10.bc was found: "
                        + "install the CUDA toolkit, or set CUDA_HOME or -Dmodelc.libdevice=FILE (it is needed to generate PTX, not to run it)"));
        var buffer = new LLVMMemoryBufferRef();
        var error = new BytePointer();
        if (LLVMCreateMemoryBufferWithContentsOfFile(new BytePointer(path.toString()), buffer, error) != 0) {
            String message = error.getString();
            LLVMDisposeMessage(error);
            throw new IllegalStateException("cannot read libdevice " + path + ": " + message);
        }
        var library = new LLVMModuleRef();
        if (LLVMParseBitcodeInContext2(LLVMGetModuleContext(module), buffer, library) != 0) {
            LLVMDisposeMemoryBuffer(buffer);
            throw new IllegalStateException("libdevice " + path + " is not LLVM bitcode this LLVM can read");
        }
        LLVMDisposeMemoryBuffer(buffer);
        // libdevice says its own triple and data layout; the module's win
        LLVMSetTarget(library, LLVMGetTarget(module));
        LLVMSetDataLayout(library, LLVMGetDataLayoutStr(module));
        if (LLVMLinkModules2(module, library) != 0) throw new IllegalStateException("linking libdevice " + path + " failed");
        for (var f = LLVMGetFirstFunction(module); f != null && !f.isNull(); f = LLVMGetNextFunction(f)) {
            if (LLVMIsDeclaration(f) == 0 && LLVMGetFunctionCallConv(f) != 71) LLVMSetLinkage(f, LLVMInternalLinkage);
        }
        for (var g = LLVMGetFirstGlobal(module); g != null && !g.isNull(); g = LLVMGetNextGlobal(g)) {
            if (LLVMIsDeclaration(g) == 0) LLVMSetLinkage(g, LLVMInternalLinkage);
        }
    }
}
