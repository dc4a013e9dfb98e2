package dev.modelc.cli;

/** What {@code modelc compile --target} produces. */
enum CompileTarget {
    JVM("jvm"), LLVM_CPU("llvm-cpu"), PTX("ptx");

    private final String label;

    CompileTarget(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
