package io.dtm.alerts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a series' next release is due (a missing-release rule): the period after the latest one received is due
 * {@code lag} after that period ends (e.g. yearly data with {@code P10M}: 2026 is due on 1 November 2027).
 */
public final class ReleaseCalendar {

    private static final Pattern YEAR = Pattern.compile("(\\d{4})");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(0[1-9]|1[0-2])");

    private ReleaseCalendar() {
    }

    /** The first day after {@code period} ({@code YYYY}, {@code YYYY-Qn} or {@code YYYY-MM}); empty otherwise. */
    static Optional<LocalDate> dayAfter(String period) {
        Matcher m = YEAR.matcher(period);
        if (m.matches()) {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)) + 1, 1, 1));
        }
        m = QUARTER.matcher(period);
        if (m.matches()) {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), 1, 1)
                    .plusMonths(3L * Integer.parseInt(m.group(2))));
        }
        m = MONTH.matcher(period);
        if (m.matches()) {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1)
                    .plusMonths(1));
        }
        return Optional.empty();
    }

    /** The period after {@code period}, of the same kind. */
    static Optional<String> next(String period) {
        return dayAfter(period).map(d -> {
            if (YEAR.matcher(period).matches()) {
                return Integer.toString(d.getYear());
            }
            if (QUARTER.matcher(period).matches()) {
                return d.getYear() + "-Q" + ((d.getMonthValue() - 1) / 3 + 1);
            }
            return String.format("%04d-%02d", d.getYear(), d.getMonthValue());
        });
    }

    /** When the period after {@code latest} is due (UTC midnight), or empty for a period of unknown form. */
    public static Optional<Instant> due(String latest, Period lag) {
        return next(latest).flatMap(ReleaseCalendar::dayAfter)
                .map(d -> d.plus(lag).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
