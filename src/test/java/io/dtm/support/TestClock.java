package io.dtm.support;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** A fixed "today" for tests that judge the plausibility of periods and vintages, so that they never age. */
public final class TestClock {

    /** Noon UTC on 1 December 2026. */
    public static final Clock FIXED = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    /** Its date. */
    public static final LocalDate TODAY = LocalDate.now(FIXED);

    private TestClock() {
    }
}
