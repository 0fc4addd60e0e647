package io.dtm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rolling estimates by window end year, updated row by row: each window equals a batch fit of its rows whatever
 * the order and number of changes, a change touches only the windows that contain its year, and the windows follow
 * the data's end years under the cap.
 */
class WindowEstimatesTest {

    private static final double TOLERANCE = 1e-10;
    private static final int WIDTH = 5;

    /** The test's own copy of the panel, by (entity, year). */
    private final Map<String, Row> held = new HashMap<>();
    private final PanelAccumulator all = new PanelAccumulator(Panels.K);

    /** 15 entities with 22–24 of the years 2000–2023 each (inner years missing at random), and a single-row one. */
    private static List<Row> dense(long seed) {
        return Panels.generate(seed, 15, 22, 24, Panels.LAST_YEAR + 1, new double[Panels.K]);
    }

    private static String key(String entity, int year) {
        return entity + "|" + year;
    }

    /** Replaces the row of (entity, year) by {@code after} (null: removes it) in the panel and the windows. */
    private void change(WindowEstimates windows, String entity, int year, Row after) {
        Row before = held.remove(key(entity, year));
        if (before != null) {
            all.remove(before);
        }
        if (after != null) {
            all.add(after);
            held.put(key(entity, year), after);
        }
        windows.apply(entity, year, after, all);
    }

    /** The window end years the test expects, from its own copy of the panel. */
    private SortedSet<Integer> expectedEnds(int maxWindows) {
        Map<Integer, Integer> perYear = new TreeMap<>();
        held.values().forEach(r -> perYear.merge(r.year(), 1, Integer::sum));
        long entities = held.values().stream().map(Row::entity).distinct().count();
        List<Integer> dense = perYear.entrySet().stream().filter(e -> 2L * e.getValue() >= entities)
                .map(Map.Entry::getKey).toList();
        SortedSet<Integer> ends = new TreeSet<>();
        if (dense.isEmpty()) {
            return ends;
        }
        int last = Collections.max(dense);
        int first = Math.max(Collections.min(dense) + WIDTH - 1, last - maxWindows + 1);
        for (int e = Math.min(first, last); e <= last; e++) {
            ends.add(e);
        }
        return ends;
    }

    private List<Row> rowsOfWindow(int end) {
        return held.values().stream().filter(r -> r.year() > end - WIDTH && r.year() <= end).toList();
    }

    /** Every window against a batch fit of the rows the test holds for its years. */
    private void assertEveryWindowIsABatchFit(WindowEstimates windows, int maxWindows) {
        assertEquals(expectedEnds(maxWindows), windows.ends());
        for (int end : windows.ends()) {
            assertEquals(new RollingWindow(end - WIDTH + 1, end), windows.window(end));
            List<Row> rows = rowsOfWindow(end);
            assertEquals(rows.size(), windows.rows(end), "rows of " + end);
            assertSameEstimate(PanelEstimator.estimate(PanelAccumulator.of(Panels.K, rows), Panels.TERMS),
                    windows.estimate(end), "window " + end);
        }
    }

    private static void assertSameEstimate(Estimate expected, Estimate actual, String what) {
        assertEquals(expected.status(), actual.status(), what + ": " + actual.reason());
        assertEquals(expected.observations(), actual.observations(), what);
        assertEquals(expected.entities(), actual.entities(), what);
        assertEquals(expected.droppedTerms(), actual.droppedTerms(), what);
        assertEquals(expected.coefficients().size(), actual.coefficients().size(), what);
        for (int j = 0; j < expected.coefficients().size(); j++) {
            Coefficient e = expected.coefficients().get(j);
            Coefficient a = actual.coefficients().get(j);
            String term = what + " " + e.term();
            assertEquals(e.term(), a.term(), term);
            close(e.estimate(), a.estimate(), term + " β");
            for (Inference[] pair : List.of(new Inference[] {e.classical(), a.classical()},
                    new Inference[] {e.clustered(), a.clustered()})) {
                close(pair[0].standardError(), pair[1].standardError(), term + " SE");
                close(pair[0].lower95(), pair[1].lower95(), term + " lower");
                close(pair[0].upper95(), pair[1].upper95(), term + " upper");
                close(pair[0].p(), pair[1].p(), term + " p");
                assertEquals(pair[0].df(), pair[1].df(), term + " df");
            }
        }
    }

    private static void close(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected)),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    private static Row revised(Row row, Random rnd) {
        double[] x = row.x();
        x[rnd.nextInt(x.length - 1)] += 0.1 * rnd.nextGaussian();
        return new Row(row.entity(), row.year(), row.y() + 0.2 * rnd.nextGaussian(), x);
    }

    @ParameterizedTest(name = "seed {0}, at most {1} windows")
    @CsvSource({"1, 20", "2, 20", "3, 6", "4, 1"})
    void everyWindowEqualsABatchFitOfItsRowsAfterRandomRevisionsInAnyOrder(long seed, int maxWindows) {
        List<Row> rows = new ArrayList<>(dense(100 + seed));
        Random rnd = new Random(seed);
        Collections.shuffle(rows, rnd);
        WindowEstimates windows = new WindowEstimates(Panels.TERMS, WIDTH, maxWindows);
        for (Row row : rows) {
            change(windows, row.entity(), row.year(), row);
        }
        assertTrue(windows.ends().size() >= Math.min(maxWindows, 15), "windows: " + windows.ends());
        assertEveryWindowIsABatchFit(windows, maxWindows);

        List<Row> gone = new ArrayList<>();
        for (int step = 1; step <= 3000; step++) {
            double what = rnd.nextDouble();
            if (what < 0.1 && !held.isEmpty()) {
                Row row = new ArrayList<>(held.values()).get(rnd.nextInt(held.size()));
                change(windows, row.entity(), row.year(), null);
                gone.add(row);
            } else if (what < 0.2 && !gone.isEmpty()) {
                Row row = gone.remove(rnd.nextInt(gone.size()));
                change(windows, row.entity(), row.year(), revised(row, rnd));
            } else {
                Row row = rows.get(rnd.nextInt(rows.size()));
                Row now = held.get(key(row.entity(), row.year()));
                if (now != null) {
                    change(windows, row.entity(), row.year(), revised(now, rnd));
                }
            }
            if (step % 500 == 0) {
                assertEveryWindowIsABatchFit(windows, maxWindows);
            }
        }
        assertEveryWindowIsABatchFit(windows, maxWindows);
    }

    @ParameterizedTest(name = "a revision of {0}")
    @ValueSource(ints = {2003, 2010, 2018, 2021, 2023})
    void aRevisionOfAYearChangesTheWindowsThatContainItAndNoOther(int year) {
        List<Row> rows = dense(7);
        WindowEstimates windows = new WindowEstimates(Panels.TERMS, WIDTH, 20);
        rows.forEach(r -> change(windows, r.entity(), r.year(), r));
        windows.drain();
        Map<Integer, Estimate> before = new HashMap<>();
        windows.ends().forEach(end -> before.put(end, windows.estimate(end)));

        Row row = held.values().stream().filter(r -> r.year() == year).findFirst().orElseThrow();
        change(windows, row.entity(), year, new Row(row.entity(), year, row.y() + 1, row.x()));

        WindowEstimates.Changes changes = windows.drain();
        SortedSet<Integer> containing = new TreeSet<>(windows.ends().subSet(year, year + WIDTH));
        assertEquals(containing, changes.changed(), "the windows that contain " + year);
        assertTrue(changes.removed().isEmpty());
        assertEquals(before.keySet(), windows.ends(), "a revision moves no window");
        for (int end : windows.ends()) {
            if (containing.contains(end)) {
                assertNotEquals(before.get(end).coefficients().get(0).estimate(),
                        windows.estimate(end).coefficients().get(0).estimate(), "window " + end + " moved");
            } else {
                assertSame(before.get(end), windows.estimate(end), "window " + end + " not estimated again");
            }
        }
        assertEveryWindowIsABatchFit(windows, 20);
    }

    @ParameterizedTest(name = "at most {0} windows")
    @ValueSource(ints = {3, 20})
    void aNewYearAddsItsWindowAndTheOldestGoesPastTheCap(int maxWindows) {
        List<Row> rows = dense(8).stream().filter(r -> r.year() <= 2021).toList();
        WindowEstimates windows = new WindowEstimates(Panels.TERMS, WIDTH, maxWindows);
        rows.forEach(r -> change(windows, r.entity(), r.year(), r));
        SortedSet<Integer> before = new TreeSet<>(windows.ends());
        assertEquals(2021, before.last());
        windows.drain();

        List<String> entities = held.values().stream().map(Row::entity).distinct().sorted().toList();
        Random rnd = new Random(8);
        int added = 0;
        for (String entity : entities) {
            if (2 * added < entities.size()) {
                double[] x = rnd.doubles(Panels.K).toArray();
                change(windows, entity, 2022, new Row(entity, 2022, rnd.nextGaussian(), x));
                added++;
            }
        }
        assertEquals(2022, windows.ends().last(), "half of the entities have a row in 2022");
        WindowEstimates.Changes changes = windows.drain();
        assertTrue(changes.changed().contains(2022), "the new window is shown: " + changes);
        assertEquals(windows.ends().subSet(2022, 2022 + WIDTH), changes.changed());
        if (before.size() == maxWindows) {
            assertEquals(new TreeSet<>(List.of(before.first())), changes.removed(), "the oldest window goes");
        } else {
            assertTrue(changes.removed().isEmpty(), "under the cap no window goes");
        }
        assertEquals(windows.window(2022), windows.latest().orElseThrow());
        assertSame(windows.estimate(2022), windows.latestEstimate(), "the latest window is the rolling estimate");
        assertEveryWindowIsABatchFit(windows, maxWindows);

        for (String entity : entities) {
            if (held.containsKey(key(entity, 2022))) {
                change(windows, entity, 2022, null);
            }
        }
        assertEquals(before, windows.ends(), "back to the windows of before");
        assertEquals(new TreeSet<>(List.of(2022)), windows.drain().removed());
        assertEveryWindowIsABatchFit(windows, maxWindows);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12})
    void aWindowMatchesAnIndependentDummyVariableRegression(long seed) {
        List<Row> rows = dense(seed);
        WindowEstimates windows = new WindowEstimates(Panels.TERMS, WIDTH, 20);
        rows.forEach(r -> change(windows, r.entity(), r.year(), r));
        int checked = 0;
        for (int end : windows.ends()) {
            List<Row> inWindow = rowsOfWindow(end);
            int[] terms = Panels.varyingWithinEntities(inWindow);
            Estimate estimate = windows.estimate(end);
            if (estimate.status() == Status.OK && terms.length == Panels.K) {
                Close.assertMatches(DummyRegression.fit(inWindow, terms), estimate, Panels.TERMS);
                checked++;
            }
        }
        assertTrue(checked >= 5, "windows checked: " + checked);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21})
    void noWindowBeforeHalfOfTheEntitiesHaveARowInAYear(long seed) {
        WindowEstimates windows = new WindowEstimates(Panels.TERMS, WIDTH, 20);
        assertTrue(windows.latest().isEmpty());
        assertEquals(Status.NOT_IDENTIFIED, windows.latestEstimate().status());
        Row row = Panels.random(seed).get(0);
        change(windows, row.entity(), row.year(), row);
        assertEquals(new TreeSet<>(List.of(row.year())), windows.ends(), "one entity: its year is the end");
        assertEquals(Status.NOT_IDENTIFIED, windows.estimate(row.year()).status());
        change(windows, row.entity(), row.year(), null);
        assertTrue(windows.ends().isEmpty());
        assertEquals(new TreeSet<>(List.of(row.year())), windows.drain().removed());
    }
}
