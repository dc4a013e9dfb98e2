package dev.modelc.check;

/**
 * Ends the typing of one expression early, after its error has been reported (or silently, when
 * a value is only unknown because a generic function is being checked). Caught by the checker at
 * the expression it belongs to, which then has type {@link Type#UNKNOWN}; it never leaves the
 * checker.
 */
final class CheckAbort extends RuntimeException {
    static final CheckAbort INSTANCE = new CheckAbort();

    private CheckAbort() {
        super(null, null, false, false);
    }
}
