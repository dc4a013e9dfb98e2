package dev.modelc.codegen.jvm;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * The typed facade of an ahead-of-time jar, as bytecode:
 * <pre>
 * public final class Xor {
 *     private final AotModel model;
 *     public Xor() { model = AotModel.load("Xor", Xor.class.getClassLoader()); }
 *     public AotModel model() { return model; }
 *     public Tensor logits(Tensor x) { Map m = new HashMap(); m.put("x", x); return model.run("logits", m); }
 *     …
 * }
 * </pre>
 */
final class Facade {
    private static final String MODEL = "dev/modelc/runtime/aot/AotModel";
    private static final String TENSOR = "Ldev/modelc/runtime/Tensor;";

    private Facade() {}

    static byte[] generate(String model, Map<String, List<String>> inputsByEntry) {
        String self = AotJar.facadeName(model).replace('.', '/');
        var cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(V25, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, self, null, "java/lang/Object", null);
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "model", "L" + MODEL + ";", null, null).visitEnd();

        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitVarInsn(ALOAD, 0);
        init.visitLdcInsn(model);
        init.visitLdcInsn(org.objectweb.asm.Type.getObjectType(self));
        init.visitMethodInsn(INVOKEVIRTUAL, "java/lang/Class", "getClassLoader", "()Ljava/lang/ClassLoader;", false);
        init.visitMethodInsn(INVOKESTATIC, MODEL, "load", "(Ljava/lang/String;Ljava/lang/ClassLoader;)L" + MODEL + ";", false);
        init.visitFieldInsn(PUTFIELD, self, "model", "L" + MODEL + ";");
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor get = cw.visitMethod(ACC_PUBLIC, "model", "()L" + MODEL + ";", null, null);
        get.visitCode();
        get.visitVarInsn(ALOAD, 0);
        get.visitFieldInsn(GETFIELD, self, "model", "L" + MODEL + ";");
        get.visitInsn(ARETURN);
        get.visitMaxs(0, 0);
        get.visitEnd();

        inputsByEntry.forEach((entry, inputs) -> {
            if (entry.equals("model")) return; // the accessor has that name; run("model", …) still works
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, entry, "(" + TENSOR.repeat(inputs.size()) + ")" + TENSOR, null, null);
            mv.visitCode();
            mv.visitTypeInsn(NEW, "java/util/HashMap");
            mv.visitInsn(DUP);
            mv.visitMethodInsn(INVOKESPECIAL, "java/util/HashMap", "<init>", "()V", false);
            int map = inputs.size() + 1;
            mv.visitVarInsn(ASTORE, map);
            for (int i = 0; i < inputs.size(); i++) {
                mv.visitVarInsn(ALOAD, map);
                mv.visitLdcInsn(inputs.get(i));
                mv.visitVarInsn(ALOAD, i + 1);
                mv.visitMethodInsn(INVOKEINTERFACE, "java/util/Map", "put", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", true);
                mv.visitInsn(POP);
            }
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, self, "model", "L" + MODEL + ";");
            mv.visitLdcInsn(entry);
            mv.visitVarInsn(ALOAD, map);
            mv.visitMethodInsn(INVOKEVIRTUAL, MODEL, "run", "(Ljava/lang/String;Ljava/util/Map;)" + TENSOR, false);
            mv.visitInsn(ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
        cw.visitEnd();
        return cw.toByteArray();
    }
}
