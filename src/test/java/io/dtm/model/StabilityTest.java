package io.dtm.model;

import static io.dtm.model.Panels.K;
import static io.dtm.model.Panels.TERMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Forward orthogonal deviations, recursive residuals, the CUSUM ratio and the Chow break test. */
class StabilityTest {

    private static final int[] ALL_BUT_RCEP = {0, 1, 2, 3, 4};
    private static final int BREAK_YEAR = 2012;
    private static final double[] GDP_BREAK = {0.1, 0, 0, 0, 0, 0};
    private static final double TOLERANCE = 1e-12;

    private static List<Row> brokenPanel(long seed) {
        return Panels.generate(seed, 15, 20, 20, BREAK_YEAR, GDP_BREAK);
    }

    private static OLSMultipleLinearRegression olsWithoutIntercept(List<Row> rows) {
        double[] y = rows.stream().mapToDouble(Row::y).toArray();
        double[][] x = rows.stream().map(Row::x).toArray(double[][]::new);
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        return ols;
    }

    @Test
    void forwardOrthogonalDeviationsMatchAHandComputedExample() {
        List<Row> rows = List.of(
                new Row("A", 2001, 2, new double[] {1}), new Row("A", 2002, 4, new double[] {2}),
                new Row("A", 2003, 3, new double[] {6}), new Row("B", 2001, 1, new double[] {5}),
                new Row("B", 2003, 0, new double[] {7}), new Row("C", 2002, 9, new double[] {9}));
        List<Row> fod = Stability.forwardOrthogonalDeviations(rows);
        double c3 = Math.sqrt(2.0 / 3);
        double c2 = Math.sqrt(0.5);
        assertEquals(List.of("A 2001", "B 2001", "A 2002"),
                fod.stream().map(r -> r.entity() + " " + r.year()).toList());
        assertFod(-3 * c3, -1.5 * c3, fod.get(0));
        assertFod(-2 * c2, c2, fod.get(1));
        assertFod(-4 * c2, c2, fod.get(2));
    }

    private static void assertFod(double x, double y, Row row) {
        assertEquals(x, row.x(0), TOLERANCE);
        assertEquals(y, row.y(), TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(longs = {81, 82, 83})
    void leastSquaresOnForwardOrthogonalDeviationsGivesTheWithinEstimate(long seed) {
        List<Row> rows = Panels.random(seed);
        double[] fodBeta = olsWithoutIntercept(Stability.forwardOrthogonalDeviations(rows))
                .estimateRegressionParameters();
        Estimate within = PanelEstimator.estimate(PanelAccumulator.of(K, rows), TERMS);
        for (int j = 0; j < K; j++) {
            Close.assertRelative(within.coefficients().get(j).estimate(), fodBeta[j], TERMS.get(j));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {84, 85, 86})
    void squaredRecursiveResidualsSumToTheFullSampleResidualSumOfSquares(long seed) {
        List<Row> fod = Stability.forwardOrthogonalDeviations(Panels.random(seed));
        Stability.RecursiveResiduals recursive = Stability.recursiveResiduals(fod, Panels.ALL_TERMS).orElseThrow();
        assertEquals(K, recursive.initialRows());
        assertEquals(fod.size() - K, recursive.residuals().length);
        double sum = 0;
        for (double w : recursive.residuals()) {
            sum += w * w;
        }
        Close.assertRelative(olsWithoutIntercept(fod).calculateResidualSumOfSquares(), sum, "Σ w²");
    }

    @ParameterizedTest
    @ValueSource(longs = {91, 92, 93, 94, 95})
    void cusumStaysWithinTheBoundOnAStablePanel(long seed) {
        CusumResult result = Stability.cusum(Panels.random(seed));
        assertEquals(Status.OK, result.status(), result.reason());
        assertTrue(result.ratio() > 0 && result.ratio() < 1, () -> "ratio " + result.ratio());
        assertEquals(K, result.initialRows());
    }

    @ParameterizedTest
    @ValueSource(longs = {101, 102, 103})
    void cusumCrossesTheBoundAfterALargeMidSampleBreak(long seed) {
        CusumResult result = Stability.cusum(brokenPanel(seed));
        assertEquals(Status.OK, result.status(), result.reason());
        assertTrue(result.ratio() > 1, () -> "ratio " + result.ratio());
        assertTrue(result.maxRow() > K && result.maxRow() <= result.rows());
    }

    @Test
    void cusumReportsTooFewRowsAsAStatus() {
        List<Row> rows = Panels.random(104).subList(0, 6);
        CusumResult result = Stability.cusum(rows);
        assertEquals(Status.NOT_ENOUGH_DATA, result.status());
        assertEquals(0, result.ratio());
        assertEquals(Status.NOT_ENOUGH_DATA, Stability.cusum(List.of()).status());
    }

    @Test
    void cusumLeavesOutATermWithoutWithinVariation() {
        List<Row> rows = Panels.random(105).stream().map(r -> Panels.withTerm(r, 1, r.entity().charAt(2))).toList();
        CusumResult result = Stability.cusum(rows);
        assertEquals(Status.OK, result.status(), result.reason());
        assertEquals(List.of(1), result.droppedTerms());
        assertEquals(K - 1, result.initialRows());
    }

    @ParameterizedTest
    @ValueSource(longs = {111, 112, 113})
    void chowRejectsWhenTheSlopesBreak(long seed) {
        List<Row> rows = brokenPanel(seed);
        ChowResult result = Stability.chow(rows, BREAK_YEAR, ALL_BUT_RCEP);
        assertEquals(Status.OK, result.status(), result.reason());
        assertTrue(result.fStatistic() > 10, () -> "F " + result.fStatistic());
        assertTrue(result.pValue() < 1e-6, () -> "p " + result.pValue());
        assertTrue(result.bootstrapP() < 0.01, () -> "bootstrap p " + result.bootstrapP());
        Estimate pooled = PanelEstimator.estimate(PanelAccumulator.of(K, rows), TERMS);
        assertEquals(ALL_BUT_RCEP.length, result.numeratorDf());
        assertEquals(pooled.entities() - 1, result.denominatorDf(), "clustered: G − 1");
    }

    @ParameterizedTest
    @ValueSource(longs = {121, 122, 123, 124, 125})
    void chowDoesNotRejectWithoutABreak(long seed) {
        List<Row> stable = Panels.generate(seed, 15, 20, 20, BREAK_YEAR, new double[K]);
        ChowResult result = Stability.chow(stable, BREAK_YEAR, ALL_BUT_RCEP);
        assertEquals(Status.OK, result.status(), result.reason());
        assertTrue(result.bootstrapP() > 0.01, () -> "bootstrap p " + result.bootstrapP());
        assertEquals(BREAK_YEAR, result.breakYear());
    }

    @Test
    void chowTestsOnlyTheSlopesIdentifiedAfterTheBreak() {
        // Panels.random ends in 2023: two years from the break leave some interactions collinear, which are left out
        ChowResult result = Stability.chow(Panels.random(121), Stability.DEFAULT_BREAK_YEAR, ALL_BUT_RCEP);
        assertEquals(Status.OK, result.status(), result.reason());
        assertTrue(result.numeratorDf() > 0 && result.numeratorDf() < ALL_BUT_RCEP.length,
                () -> "q " + result.numeratorDf());
    }

    @Test
    void chowOfATermWithoutWithinVariationIsNotIdentified() {
        List<Row> rows = brokenPanel(127).stream().map(r -> Panels.withTerm(r, 1, r.entity().charAt(2))).toList();
        ChowResult result = Stability.chow(rows, BREAK_YEAR, new int[] {1});
        assertEquals(Status.NOT_IDENTIFIED, result.status());
        assertTrue(result.reason().startsWith("no tested slope is identified"), result.reason());
        assertEquals(0, result.fStatistic());
        assertEquals(1, result.pValue());
        assertEquals(1, result.bootstrapP());
    }

    @Test
    void chowNeedsRowsOnBothSidesOfTheBreak() {
        List<Row> early = Panels.random(126).stream().filter(r -> r.year() < 2015).toList();
        ChowResult result = Stability.chow(early, Stability.DEFAULT_BREAK_YEAR, ALL_BUT_RCEP);
        assertEquals(Status.NOT_ENOUGH_DATA, result.status());
        assertEquals(1, result.pValue());
    }
}
