package io.dtm.events;

import java.util.Locale;

/** Why an event was rejected: the {@code reason} label and the {@code dtm.error.reason} dead-letter header. */
public enum RejectReason {
    /** Not JSON, not a CloudEvent, or data that cannot be read. */
    MALFORMED,
    /** A CloudEvents attribute is missing or invalid. */
    INVALID_ATTRIBUTE,
    /** The CloudEvents {@code type} names no feed. */
    UNKNOWN_TYPE,
    /** A {@code data} field is missing or invalid. */
    INVALID_FIELD,
    /** The {@code unit} is none of the known units (and nothing else is wrong). */
    UNKNOWN_UNIT,
    /** The event's type belongs to another feed than the topic it was published to. */
    WRONG_TOPIC;

    /** Lower-case kebab form, as in metrics and headers. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
