package dev.modelc.api;

/**
 * A model was used wrongly or failed on its data: a missing or wrongly shaped input, an unknown
 * entry, a parameter file that does not fit the model. The message names what was expected and
 * what was given.
 */
public final class ModelException extends RuntimeException {
    public ModelException(String message) { super(message); }

    public ModelException(String message, Throwable cause) { super(message, cause); }
}
