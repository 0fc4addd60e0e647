package io.dtm.imports;

/** A publication that cannot be imported at all (not of its format, no vintage, an API error): the message says why. */
public final class ImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
