package io.dtm.alerts;

import java.time.Duration;
import java.time.LocalDate;

/**
 * The {@code forDuration} of a model rule: a run of releases fires only once its latest release date is at least
 * that long after its first (time on the data's axis, not the wall clock).
 */
public final class DurationEvaluation {

    private DurationEvaluation() {
    }

    /** Whether the date {@code last} is at least {@code span} after the date {@code first} ({@code YYYY-MM-DD}). */
    public static boolean spans(String first, String last, Duration span) {
        if (span.isZero()) {
            return true;
        }
        return Duration.between(LocalDate.parse(first).atStartOfDay(), LocalDate.parse(last).atStartOfDay())
                .compareTo(span) >= 0;
    }
}
