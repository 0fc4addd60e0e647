package io.dtm.model;

import static io.dtm.model.Panels.K;
import static io.dtm.model.Panels.TERMS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the rolling window ends, and a streamed rolling estimate against a batch fit of the same years. */
class RollingWindowTest {

    private static final int WIDTH = 5;

    @Test
    void windowEndsAtTheLatestYearWhereAtLeastHalfOfTheEntitiesHaveARow() {
        Map<Integer, Integer> rowsByYear = Map.of(2019, 15, 2020, 15, 2021, 8, 2022, 7, 2023, 1);
        assertEquals(OptionalInt.of(2021), RollingWindow.end(rowsByYear, 15));
        assertEquals(OptionalInt.of(2022), RollingWindow.end(rowsByYear, 14));
        assertEquals(Optional.of(new RollingWindow(2017, 2021)), RollingWindow.of(rowsByYear, 15, WIDTH));
    }

    @Test
    void noWindowWhenNoYearReachesHalfOfTheEntities() {
        assertTrue(RollingWindow.end(Map.of(2020, 2, 2021, 3), 7).isEmpty());
        assertTrue(RollingWindow.of(Map.of(), 0, WIDTH).isEmpty());
    }

    @Test
    void containsIsInclusiveAtBothEnds() {
        RollingWindow window = new RollingWindow(2019, 2023);
        assertTrue(window.contains(2019) && window.contains(2023));
        assertFalse(window.contains(2018));
        assertFalse(window.contains(2024));
    }

    /** Rows arrive roughly year by year with some late ones; the rolling accumulator follows the window. */
    @ParameterizedTest
    @ValueSource(longs = {61, 62, 63, 64})
    void rollingEstimateEqualsABatchFitOfTheWindowYears(long seed) {
        Random rnd = new Random(seed);
        Map<Row, Double> arrival = new HashMap<>();
        Panels.random(seed).forEach(r -> arrival.put(r, r.year() + 4 * rnd.nextDouble()));
        List<Row> arrivals = new ArrayList<>(arrival.keySet());
        arrivals.sort(Comparator.comparing(arrival::get));
        PanelAccumulator all = new PanelAccumulator(K);
        PanelAccumulator rolling = new PanelAccumulator(K);
        Optional<RollingWindow> window = Optional.empty();
        int removedYears = 0;
        for (Row row : arrivals) {
            all.add(row);
            Optional<RollingWindow> next = RollingWindow.of(all.rowsPerYear(), all.entityCount(), WIDTH);
            boolean inBoth = window.isPresent() && window.get().contains(row.year()) && next.isPresent()
                    && next.get().contains(row.year());
            for (int year : years(window)) {
                if (next.isEmpty() || !next.get().contains(year)) {
                    rolling.removeYear(year);
                    removedYears++;
                }
            }
            for (int year : years(next)) {
                if (window.isEmpty() || !window.get().contains(year)) {
                    all.rows().stream().filter(r -> r.year() == year).forEach(rolling::add);
                }
            }
            if (inBoth) {
                rolling.add(row);
            }
            window = next;
        }
        RollingWindow last = window.orElseThrow();
        assertTrue(removedYears > 0, "the window moved during the stream");
        List<Row> inWindow = all.rows().stream().filter(r -> last.contains(r.year())).toList();
        assertEquals(inWindow, rolling.rows());
        int[] varying = Panels.varyingWithinEntities(inWindow);
        List<String> kept = IntStream.of(varying).mapToObj(TERMS::get).toList();
        Close.assertMatches(DummyRegression.fit(inWindow, varying), PanelEstimator.estimate(rolling, TERMS), kept);
    }

    private static List<Integer> years(Optional<RollingWindow> window) {
        return window.map(w -> IntStream.rangeClosed(w.first(), w.last()).boxed().toList()).orElse(List.of());
    }
}
