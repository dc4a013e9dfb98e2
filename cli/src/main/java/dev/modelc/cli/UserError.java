package dev.modelc.cli;

/** A mistake in what the user gave us (program, data, files): reported as {@code modelc: <message>}, exit 1. */
final class UserError extends RuntimeException {

    private final boolean alreadyReported;

    UserError(String message) {
        this(message, false);
    }

    private UserError(String message, boolean alreadyReported) {
        super(message);
        this.alreadyReported = alreadyReported;
    }

    /** A mistake whose explanation (e.g. compiler diagnostics) is already on stderr: only the exit code is left. */
    static UserError reported() { return new UserError("(reported above)", true); }

    boolean alreadyReported() { return alreadyReported; }
}
