package dev.modelc.codegen.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.lang.ref.Cleaner;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMOrcDefinitionGeneratorRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;

/**
 * An ORC LLJIT session holding the object code of one compiled program, linked in this process
 * against libc and libm (the process's own symbols). Its code stays mapped until this object is
 * unreachable; then the session is disposed.
 */
final class LlvmJit {
    private static final Cleaner CLEANER = Cleaner.create();

    private final LLVMOrcLLJITRef jit;

    private LlvmJit(LLVMOrcLLJITRef jit) {
        this.jit = jit;
        CLEANER.register(this, () -> LLVMOrcDisposeLLJIT(jit));
    }

    /** A session with {@code object} (an ELF relocatable for the host) linked in. */
    static LlvmJit load(byte[] object, String name) {
        LlvmNatives.load();
        var jit = new LLVMOrcLLJITRef();
        check(LLVMOrcCreateLLJIT(jit, LLVMOrcCreateLLJITBuilder()), "creating the JIT");
        var session = new LlvmJit(jit);
        var generator = new LLVMOrcDefinitionGeneratorRef();
        check(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(generator, LLVMOrcLLJITGetGlobalPrefix(jit), null, null),
                "finding this process's symbols");
        LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(jit), generator);
        var bytes = new BytePointer(object);
        var buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, object.length, new BytePointer(name));
        bytes.close();
        check(LLVMOrcLLJITAddObjectFile(jit, LLVMOrcLLJITGetMainJITDylib(jit), buffer), "loading " + name);
        return session;
    }

    /** The address of an exported function (linking the object on first lookup). */
    long lookup(String symbol) {
        long[] address = new long[1];
        check(LLVMOrcLLJITLookup(jit, address, symbol), "looking up " + symbol);
        return address[0];
    }

    static void check(LLVMErrorRef error, String what) {
        if (error == null || error.isNull()) return;
        BytePointer message = LLVMGetErrorMessage(error);
        String text = message.getString();
        LLVMDisposeErrorMessage(message);
        throw new IllegalStateException("LLVM failed " + what + ": " + text);
    }
}
