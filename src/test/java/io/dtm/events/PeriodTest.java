package io.dtm.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeriodTest {

    @ParameterizedTest
    @ValueSource(strings = {"2024", "0999", "2024-Q1", "2024-Q3", "2024-Q4", "2024-01", "2024-07", "2024-12"})
    void shouldAcceptYearQuarterAndMonthPeriods(String period) {
        assertTrue(Period.isValid(period));
    }

    @ParameterizedTest
    @ValueSource(strings = {"24", "202", "20245", "2024-13", "2024-00", "2024-Q5", "2024-Q0", "2024-q3", "2024-7",
            "2024-07-01", "2024Q3", " 2024", "2024 ", "FY2024", "", "２０２４", "2024-Q12", "2024-1Q", "2024_07"})
    void shouldRejectAnythingElseAsAPeriod(String period) {
        assertFalse(Period.isValid(period));
    }

    @Test
    void shouldNotTreatNullAsAValidPeriodOrDate() {
        assertFalse(Period.isValid(null));
        assertFalse(Period.isDate(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-07-01", "2024-02-29", "2000-02-29", "2023-12-31", "0999-01-01", "0000-01-31"})
    void shouldAcceptCalendarDates(String date) {
        assertTrue(Period.isDate(date));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
            "2024-1-15", "2024-01-5", "20240115", "2024-07", "2024", "2024-07-01T00:00:00Z", "+2024-07-01", "",
            "2024-01-00", "2024-0a-01", "2024/01/01", "2024-01-1\u0663", "2024--1-01"})
    void shouldRejectImpossibleOrBadlyWrittenDates(String date) {
        assertFalse(Period.isDate(date));
    }

    @ParameterizedTest
    @CsvSource({
            "2024,     -1, 2023",
            "2024,      1, 2025",
            "2024,      0, 2024",
            "2024,    -10, 2014",
            "2024-Q3,  -1, 2023-Q3",
            "2024-Q1,   2, 2026-Q1",
            "2024-07,  -1, 2023-07",
            "2024-12,   1, 2025-12",
            "2024-01,  -5, 2019-01"
    })
    void shouldShiftYearQuarterAndMonthByWholeYears(String period, int years, String shifted) {
        assertEquals(Optional.of(shifted), Period.shiftYears(period, years));
    }

    @ParameterizedTest
    @CsvSource({
            "0999,     1, 1000",
            "1000,    -1, 0999",
            "0999-Q4,  1, 1000-Q4",
            "1000-Q2, -1, 0999-Q2",
            "0999-12,  1, 1000-12",
            "1000-01, -1, 0999-01",
            "0100,    -1, 0099"
    })
    void shouldKeepFourDigitYearsAcrossTheThousandBoundary(String period, int years, String shifted) {
        Optional<String> result = Period.shiftYears(period, years);

        assertEquals(Optional.of(shifted), result);
        assertTrue(Period.isValid(result.orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-07-01", "2024-13", "2024-Q5", "24", "FY2024", ""})
    void shouldGiveEmptyWhenShiftingAnUnknownFormat(String period) {
        assertEquals(Optional.empty(), Period.shiftYears(period, -1));
    }
}
