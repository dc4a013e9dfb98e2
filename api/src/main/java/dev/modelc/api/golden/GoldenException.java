package dev.modelc.api.golden;

/** A golden case (or a path given as one) is malformed: the message names the file and what is wrong. */
public final class GoldenException extends RuntimeException {
    public GoldenException(String message) { super(message); }

    public GoldenException(String message, Throwable cause) { super(message, cause); }
}
