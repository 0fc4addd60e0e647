package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.Test;

class ReleaseCalendarTest {

    @Test
    void shouldDueTheNextPeriodItsLagAfterThatPeriodEnds() {
        assertEquals(Instant.parse("2027-11-01T00:00:00Z"), ReleaseCalendar.due("2025", Period.ofMonths(10)).get());
        assertEquals(Instant.parse("2026-02-15T00:00:00Z"), ReleaseCalendar.due("2025-Q3", Period.ofDays(45)).get(),
                "2025-Q4 ends on 31 December; 45 days after 1 January");
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), ReleaseCalendar.due("2025-11", Period.ofMonths(1)).get(),
                "2025-12 ends on 31 December");
        assertEquals("2026-Q1", io.dtm.events.Period.next("2025-Q4").get());
        assertEquals("2026-01", io.dtm.events.Period.next("2025-12").get());
        assertEquals("2026", io.dtm.events.Period.next("2025").get());
        assertEquals("2025-Q4", io.dtm.events.Period.next("2025-Q3").get());
        assertTrue(ReleaseCalendar.due("2025-13", Period.ofDays(1)).isEmpty());
        assertTrue(ReleaseCalendar.due("2025-06-30", Period.ofDays(1)).isEmpty(), "a date is not a period");
    }
}
