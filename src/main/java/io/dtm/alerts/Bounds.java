package io.dtm.alerts;

import io.dtm.api.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The bounds every rule and subscription field is checked against, so that no stored value is absurd. */
final class Bounds {

    /** The longest duration or calendar offset a rule may name: ten years (of 365.2425 days). */
    static final Duration MAX_DURATION = ChronoUnit.YEARS.getDuration().multipliedBy(10);
    /** The most characters of a code or name (a selector, a model, a term, a label). */
    static final int MAX_NAME = 128;
    /** The most entries of a list or map field. */
    static final int MAX_ENTRIES = 32;

    private Bounds() {
    }

    /** Adds a problem unless {@code value} (when present) has 1 to {@code max} characters, none a control. */
    static void name(List<String> bad, String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.isEmpty() || value.length() > max) {
            bad.add(field + ": 1 to " + max + " characters; was " + value.length() + " (" + Problems.echo(value) + ")");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            bad.add(field + ": must not hold control characters; was " + Problems.echo(value));
        }
    }

    /** Adds a problem unless {@code value} (when present) is at most {@code maxBytes} bytes in UTF-8. */
    static void utf8(List<String> bad, String field, String value, int maxBytes) {
        if (value != null && value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            bad.add(field + ": at most " + maxBytes + " bytes in UTF-8; was "
                    + value.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    /**
     * Adds a problem for a list (when present) of more than {@code maxEntries} entries, and one for each entry that
     * is {@code null}; returns whether it is fine so far.
     */
    static boolean entries(List<String> bad, String field, List<?> values, int maxEntries) {
        if (values == null) {
            return true;
        }
        if (values.size() > maxEntries) {
            bad.add(field + ": at most " + maxEntries + " entries; was " + values.size());
            return false;
        }
        boolean fine = true;
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                bad.add(field + "[" + i + "]: must not be null");
                fine = false;
            }
        }
        return fine;
    }
}
