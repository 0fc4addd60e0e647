package io.dtm.model;

import static io.dtm.model.Panels.K;
import static io.dtm.model.Panels.TERMS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bookkeeping of the accumulator and of rows: duplicates, removals, years. */
class PanelAccumulatorTest {

    private static Row row(String entity, int year, double y) {
        return new Row(entity, year, y, new double[] {y, 2 * y, 1, 0, y * y, year});
    }

    @Test
    void aSecondRowForTheSameEntityAndYearIsRejected() {
        PanelAccumulator panel = new PanelAccumulator(K);
        panel.add(row("A", 2020, 1));
        assertThrows(IllegalStateException.class, () -> panel.add(row("A", 2020, 2)));
        assertEquals(1, panel.size());
    }

    @Test
    void removingARowThatWasNotAddedFails() {
        PanelAccumulator panel = new PanelAccumulator(K);
        panel.add(row("A", 2020, 1));
        assertThrows(IllegalArgumentException.class, () -> panel.remove(row("A", 2020, 1.5)));
        assertThrows(IllegalArgumentException.class, () -> panel.remove(row("B", 2020, 1)));
        assertEquals(1, panel.size());
    }

    @Test
    void aRowWithTheWrongNumberOfRegressorsIsRejected() {
        PanelAccumulator panel = new PanelAccumulator(K);
        assertThrows(IllegalArgumentException.class, () -> panel.add(new Row("A", 2020, 1, new double[] {1})));
    }

    @Test
    void removeYearTakesOutEveryRowOfThatYear() {
        PanelAccumulator panel = PanelAccumulator.of(K, List.of(row("A", 2019, 1), row("A", 2020, 2),
                row("B", 2020, 3), row("C", 2021, 4)));
        assertEquals(List.of(row("A", 2020, 2), row("B", 2020, 3)), panel.removeYear(2020));
        assertEquals(List.of(2019, 2021), List.copyOf(panel.rowsPerYear().keySet()));
        assertEquals(List.of(row("A", 2019, 1), row("C", 2021, 4)), panel.rows());
        assertEquals(2, panel.entityCount());
    }

    @Test
    void removingEveryRowLeavesNothingBehind() {
        List<Row> rows = Panels.random(51);
        PanelAccumulator panel = PanelAccumulator.of(K, rows);
        assertEquals(rows.size(), panel.size());
        assertEquals(16, panel.entityCount());
        rows.forEach(panel::remove);
        assertEquals(0, panel.size());
        assertEquals(0, panel.entityCount());
        assertTrue(panel.rowsPerYear().isEmpty());
        Estimate estimate = PanelEstimator.estimate(panel, TERMS);
        assertEquals(Status.NOT_IDENTIFIED, estimate.status());
        assertEquals(0, estimate.observations());
    }

    @Test
    void rowsCompareRegressorsByValueAndCopyThem() {
        double[] x = {1, 2};
        Row row = new Row("A", 2020, 3, x);
        x[0] = 9;
        row.x()[1] = 9;
        assertArrayEquals(new double[] {1, 2}, row.x());
        assertEquals(new Row("A", 2020, 3, new double[] {1, 2}), row);
        assertEquals(new Row("A", 2020, 3, new double[] {1, 2}).hashCode(), row.hashCode());
        assertNotEquals(new Row("A", 2020, 3, new double[] {1, 2.5}), row);
    }

    @Test
    void rowsRejectNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> new Row("A", 2020, Double.NaN, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> new Row("A", 2020, 1, new double[] {Double.POSITIVE_INFINITY}));
    }
}
