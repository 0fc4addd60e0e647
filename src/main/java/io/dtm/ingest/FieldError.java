package io.dtm.ingest;

/**
 * One bad part of an event: a CloudEvents attribute or a {@code data} field, with what is wrong with it.
 *
 * @param unknownUnit true when the error is an unknown unit (reason {@code unknown-unit} when it is the only kind)
 */
public record FieldError(Location location, String name, String message, boolean unknownUnit) {

    /** Where the bad part is. */
    public enum Location { ATTRIBUTE, DATA }

    static FieldError attribute(String name, String message) {
        return new FieldError(Location.ATTRIBUTE, name, message, false);
    }

    static FieldError data(String name, String message) {
        return new FieldError(Location.DATA, name, message, false);
    }

    /** {@code id: must be present}, {@code data.value: must be ≥ 0}. */
    @Override
    public String toString() {
        return (location == Location.DATA ? "data." : "") + name + ": " + message;
    }
}
