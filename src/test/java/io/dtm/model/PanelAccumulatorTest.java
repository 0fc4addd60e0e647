package io.dtm.model;

import static io.dtm.model.Panels.K;
import static io.dtm.model.Panels.TERMS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** Bookkeeping of the accumulator and of rows: duplicates, removals, years; exactness after many revisions. */
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

    /**
     * 14 entities × 14 years whose within R² is about 0.9996: the residuals are a tiny part of y, so that any drift
     * of the sums behind the standard errors shows.
     */
    private static List<Row> tightPanel(long seed) {
        Random rnd = new Random(seed);
        double[] beta = {0.9, 1.5, 2.0, 0.3, 0.1, 0.2};
        List<Row> rows = new ArrayList<>();
        for (int e = 0; e < 14; e++) {
            double alpha = 20 + 3 * rnd.nextGaussian();
            double[] level = {25 + 2 * rnd.nextGaussian(), 0.6, 0.5, 20 + 2 * rnd.nextGaussian(), 3};
            int rcepYear = 2016 + rnd.nextInt(12);
            for (int t = 2010; t < 2024; t++) {
                double[] x = new double[K];
                for (int j = 0; j < K - 1; j++) {
                    x[j] = level[j] + 0.04 * (t - 2010) * (1 + 0.5 * rnd.nextGaussian()) + 0.05 * rnd.nextGaussian();
                }
                x[K - 1] = t >= rcepYear ? 1 : 0;
                double y = alpha + 0.004 * rnd.nextGaussian();
                for (int j = 0; j < K; j++) {
                    y += beta[j] * x[j];
                }
                rows.add(new Row(String.format("E%02d", e), t, y, x));
            }
        }
        return rows;
    }

    @Test
    void afterAHundredThousandRevisionsThatEndWhereTheyStartedEveryQuantityEqualsABatchFit() {
        List<Row> rows = tightPanel(17);
        Random rnd = new Random(17);
        PanelAccumulator panel = PanelAccumulator.of(K, rows);
        Estimate first = PanelEstimator.estimate(panel, TERMS);
        assertTrue(first.rSquaredWithin() > 0.999 && first.rSquaredWithin() < 0.99999,
                "a tight fit: within R² " + first.rSquaredWithin());
        Map<String, Row> current = new HashMap<>();
        rows.forEach(r -> current.put(r.entity() + "/" + r.year(), r));
        for (int i = 0; i < 100_000; i++) {
            Row original = rows.get(rnd.nextInt(rows.size()));
            String key = original.entity() + "/" + original.year();
            Row held = current.remove(key);
            if (held != null) {
                panel.remove(held);
            }
            if (held != null && rnd.nextInt(10) == 0) {
                continue; // withdrawn for a while
            }
            double[] x = original.x();
            double scale = Math.pow(10, 4 * rnd.nextDouble());
            x[rnd.nextInt(K - 1)] += scale * rnd.nextGaussian();
            Row revised = new Row(original.entity(), original.year(), original.y() + scale * rnd.nextGaussian(), x);
            panel.add(revised);
            current.put(key, revised);
            if (i % 5000 == 0) {
                assertEquals(Status.OK, PanelEstimator.estimate(panel, TERMS).status());
            }
        }
        for (Row original : rows) {
            Row held = current.remove(original.entity() + "/" + original.year());
            if (held != null) {
                panel.remove(held);
            }
            panel.add(original);
        }

        Estimate estimate = PanelEstimator.estimate(panel, TERMS);
        Close.assertMatches(DummyRegression.fit(rows, Panels.ALL_TERMS), estimate, TERMS);
        DummyRegression.Result batch = DummyRegression.fit(rows, Panels.ALL_TERMS);
        TDistribution classicalT = new TDistribution(batch.observations() - batch.entities() - K);
        TDistribution clusteredT = new TDistribution(batch.entities() - 1);
        for (int j = 0; j < K; j++) {
            Coefficient c = estimate.coefficients().get(j);
            assertInference(batch.beta()[j], batch.classicalSe()[j], classicalT, c.classical(), c.term());
            assertInference(batch.beta()[j], batch.clusteredSe()[j], clusteredT, c.clustered(), c.term());
        }
        assertEquals(PanelEstimator.estimate(PanelAccumulator.of(K, rows), TERMS), estimate,
                "the same numbers as an accumulator that only ever saw the final rows");
        assertEquals(first, estimate);
    }

    private static void assertInference(double beta, double se, TDistribution t, Inference actual, String term) {
        double half = t.inverseCumulativeProbability(0.975) * se;
        Close.assertRelative(beta / se, actual.t(), "t " + term);
        Close.assertRelative(2 * t.cumulativeProbability(-Math.abs(beta / se)), actual.p(), "p " + term);
        Close.assertRelative(beta - half, actual.lower95(), "lower " + term);
        Close.assertRelative(beta + half, actual.upper95(), "upper " + term);
    }

    @Test
    void aRowIsFoundByEntityAndYear() {
        PanelAccumulator panel = PanelAccumulator.of(K, List.of(row("A", 2020, 1), row("A", 2021, 2)));
        assertEquals(row("A", 2021, 2), panel.row("A", 2021).orElseThrow());
        assertTrue(panel.row("A", 2019).isEmpty());
        assertTrue(panel.row("B", 2020).isEmpty());
    }
}
