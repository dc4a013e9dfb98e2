package dev.modelc.runtime.foreign;

/**
 * The status a natively compiled entry returns: native code cannot throw, so an element error
 * (an integer division by zero, an integer to a negative power) is recorded in a status word
 * while the run goes on, and the caller turns it into the exception the JVM backend throws.
 */
public final class NativeStatus {
    private NativeStatus() {}

    public static final int OK = 0;
    public static final int DIVISION_BY_ZERO = 1;
    public static final int NEGATIVE_POWER = 2;

    /** Throws the exception for a nonzero status of a run of {@code entry}. */
    public static void check(String entry, int status) {
        switch (status) {
            case OK -> {}
            case DIVISION_BY_ZERO -> throw new ArithmeticException(entry + ": integer division by zero");
            case NEGATIVE_POWER -> throw new ArithmeticException(entry + ": an integer to a negative power");
            default -> throw new IllegalStateException(entry + ": native code returned the unknown status " + status);
        }
    }
}
