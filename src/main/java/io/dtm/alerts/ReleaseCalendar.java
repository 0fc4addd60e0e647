package io.dtm.alerts;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * When a series' next release is due (a missing-release rule): the period after the latest one received is due
 * {@code lag} after that period ends (e.g. yearly data with {@code P10M}: 2026 is due on 1 November 2027).
 */
public final class ReleaseCalendar {

    private ReleaseCalendar() {
    }

    /** When the period after {@code latest} is due (UTC midnight), or empty for a period of unknown form. */
    public static Optional<Instant> due(String latest, Period lag) {
        return io.dtm.events.Period.next(latest).flatMap(io.dtm.events.Period::lastDay)
                .map(d -> d.plusDays(1).plus(lag).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
