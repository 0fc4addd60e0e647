package io.dtm.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObservationTest {

    private static Observation change(String effective, Double index) {
        return new Observation("policy", "JPN", "", "", "DSTRI", effective, index, index == null ? null : "INDEX",
                "2025-01-01", "urn:test", "id-" + effective, null, "NEUTRAL", null, null, false);
    }

    private static final List<Observation> CHANGES = List.of(change("2019-06-30", 0.30), change("2020-12-31", 0.20),
            change("2021-01-01", 0.10), change("2022-03-01", null));

    @Test
    void shouldTakeTheLastChangeEffectiveByTheThirtyFirstOfDecember() {
        assertEquals(0.30, Observation.inForceAtYearEnd(CHANGES, 2019).orElseThrow().value());
        assertEquals(0.20, Observation.inForceAtYearEnd(CHANGES, 2020).orElseThrow().value());
        assertEquals(0.10, Observation.inForceAtYearEnd(CHANGES, 2021).orElseThrow().value());
    }

    @Test
    void shouldSkipAChangeWithoutAValue() {
        assertEquals("2021-01-01", Observation.inForceAtYearEnd(CHANGES, 2023).orElseThrow().period());
    }

    @Test
    void shouldHaveNothingInForceBeforeTheFirstChange() {
        assertEquals(Optional.empty(), Observation.inForceAtYearEnd(CHANGES, 2018));
        assertEquals(Optional.empty(), Observation.inForceAtYearEnd(List.of(), 2020));
    }

    @Test
    void shouldReadTheSeriesAndPeriodOfAnObservationKey() {
        Observation o = Observation.ofKey("trade|NZL|WLD|EXPORT|DDS|2023", 0.0).orElseThrow();
        assertEquals(new SeriesKey("trade", "NZL", "WLD", "EXPORT", "DDS"), o.series());
        assertEquals("2023", o.period());
        assertEquals(0.0, o.value());
        assertEquals("2021-06-30", Observation.ofKey("policy|JPN|||DSTRI|2021-06-30", null).orElseThrow().period());
    }

    @Test
    void shouldReadNothingFromAnotherKey() {
        assertEquals(Optional.empty(), Observation.ofKey("trade|NZL|2023", null));
        assertEquals(Optional.empty(), Observation.ofKey("no-bar", null));
        assertEquals(Optional.empty(), Observation.ofKey(null, null));
    }
}
