package dev.modelc.runtime.io;

import java.io.IOException;

/**
 * A tensor file that is malformed, truncated, hostile or unsupported. The message always
 * starts with the file (or stream) name, so it can be shown to a user as it is.
 */
public final class TensorFormatException extends IOException {
    private final String source;

    public TensorFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public TensorFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file or stream name the problem was found in. */
    public String source() {
        return source;
    }
}
