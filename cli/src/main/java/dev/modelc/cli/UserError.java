package dev.modelc.cli;

/** A mistake in what the user gave us (program, data, files): reported as {@code modelc: <message>}, exit 1. */
final class UserError extends RuntimeException {

    UserError(String message) {
        super(message);
    }
}
