package dev.modelc.interp;

/**
 * A run of the reference interpreter failed for a reason the user can act on: an input is missing
 * or has the wrong type or shape, an integer was divided by zero, a slice runs off its operand.
 * The message says what was expected and what was found.
 */
public class InterpreterException extends RuntimeException {
    public InterpreterException(String message) {
        super(message);
    }

    public InterpreterException(String message, Throwable cause) {
        super(message, cause);
    }
}
