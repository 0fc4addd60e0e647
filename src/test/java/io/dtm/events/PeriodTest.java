package io.dtm.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
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

    @ParameterizedTest
    @CsvSource({"2024, 2024-12-31", "2024-Q1, 2024-03-31", "2023-Q4, 2023-12-31", "2024-02, 2024-02-29",
            "2023-02, 2023-02-28", "2024-11, 2024-11-30"})
    void shouldKnowTheDayAPeriodEnds(String period, String lastDay) {
        assertEquals(Optional.of(LocalDate.parse(lastDay)), Period.lastDay(period));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-13", "2024-Q5", "2024-02-01", "FY2024", ""})
    void shouldGiveNoLastDayForAnythingElse(String text) {
        assertEquals(Optional.empty(), Period.lastDay(text));
    }

    @ParameterizedTest
    @CsvSource({"2024, 2024", "2024-Q3, 2024", "2024-07, 2024", "2024-07-15, 2024", "0999, 999"})
    void shouldReadTheYearOfAPeriodOrDate(String text, int year) {
        assertEquals(year, Period.year(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "202", "FY24", "２０２４"})
    void shouldRefuseAYearOfATextWithoutFourDigits(String text) {
        assertThrows(IllegalArgumentException.class, () -> Period.year(text));
    }

    @Test
    void shouldTellYearsFromOtherPeriods() {
        assertTrue(Period.isYear("2024"));
        assertFalse(Period.isYear("2024-Q1"));
        assertFalse(Period.isYear("20a4"));
        assertFalse(Period.isYear(null));
    }

    @ParameterizedTest
    @CsvSource({"2024, 2024", "' 2024 ', 2024", "2024Q2, 2024-Q2", "2024-Q2, 2024-Q2", "2024-03, 2024-03",
            "2024-M03, 2024-03"})
    void shouldReadThePeriodFormsPublishersWrite(String published, String period) {
        assertEquals(Optional.of(period), Period.fromPublished(published));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024M03", "2024-Q5", "2024-13", "FY2024", "2024-03-01", "24"})
    void shouldReadNoPeriodFromOtherForms(String published) {
        assertEquals(Optional.empty(), Period.fromPublished(published));
    }
}
