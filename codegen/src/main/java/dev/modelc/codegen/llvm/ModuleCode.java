package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;

/** What every compilation does with a finished module: check it, print it, generate its code. */
final class ModuleCode {
    private ModuleCode() {}

    /** Throws with LLVM's complaint and the module's text when the emitted IR is invalid. */
    static void verify(LLVMModuleRef module, String what) {
        var error = new BytePointer();
        if (LLVMVerifyModule(module, LLVMReturnStatusAction, error) != 0) {
            String message = error.getString();
            LLVMDisposeMessage(error);
            throw new IllegalStateException("the LLVM IR emitted for " + what + " is invalid: " + message + "\n" + text(module));
        }
        LLVMDisposeMessage(error);
    }

    static String text(LLVMModuleRef module) {
        BytePointer p = LLVMPrintModuleToString(module);
        String s = p.getString();
        LLVMDisposeMessage(p);
        return s;
    }

    /** An object file ({@code LLVMObjectFile}) or assembly ({@code LLVMAssemblyFile}, PTX for NVPTX) for the machine's target. */
    static byte[] emit(LLVMTargetMachineRef machine, LLVMModuleRef module, int fileType, String target) {
        var error = new BytePointer();
        var buffer = new LLVMMemoryBufferRef();
        if (LLVMTargetMachineEmitToMemoryBuffer(machine, module, fileType, error, buffer) != 0) {
            String message = error.getString();
            LLVMDisposeMessage(error);
            throw new IllegalStateException("LLVM could not generate code for " + target + ": " + message);
        }
        try {
            byte[] bytes = new byte[(int) LLVMGetBufferSize(buffer)];
            LLVMGetBufferStart(buffer).get(bytes);
            return bytes;
        } finally {
            LLVMDisposeMemoryBuffer(buffer);
        }
    }
}
