package io.dtm.model;

import static io.dtm.model.Panels.ALL_TERMS;
import static io.dtm.model.Panels.K;
import static io.dtm.model.Panels.TERMS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The within estimator against an independent dummy-variable regression, and its not-identified cases. */
class PanelEstimatorTest {

    private static Estimate estimate(List<Row> rows) {
        return PanelEstimator.estimate(PanelAccumulator.of(K, rows), TERMS);
    }

    private static void assertNotIdentified(Estimate estimate, String reasonPart) {
        assertEquals(Status.NOT_IDENTIFIED, estimate.status());
        assertTrue(estimate.reason().contains(reasonPart), estimate.reason());
        assertTrue(estimate.coefficients().isEmpty());
        assertTrue(estimate.ranking().isEmpty());
        assertNull(estimate.rSquaredWithin(), "not computed, so not 0");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void coefficientsAndBothStandardErrorsMatchTheDummyVariableRegression(long seed) {
        List<Row> rows = Panels.random(seed);
        Estimate estimate = estimate(rows);
        Close.assertMatches(DummyRegression.fit(rows, ALL_TERMS), estimate, TERMS);
        assertEquals(estimate.observations() - estimate.entities() - K, estimate.residualDf());
        assertTrue(estimate.droppedTerms().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void estimateDoesNotDependOnArrivalOrder(long seed) {
        List<Row> rows = Panels.random(seed);
        List<Row> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(seed));
        Close.assertMatches(DummyRegression.fit(rows, ALL_TERMS), estimate(shuffled), TERMS);
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25})
    void revisionsAndRetractionsGiveTheFitOfTheFinalRows(long seed) {
        Random rnd = new Random(seed);
        List<Row> rows = Panels.random(seed);
        Collections.shuffle(rows, rnd);
        PanelAccumulator panel = PanelAccumulator.of(K, rows);
        Map<String, Row> current = new LinkedHashMap<>();
        rows.forEach(r -> current.put(r.entity() + "/" + r.year(), r));
        for (int i = 0; i < 80; i++) {
            List<String> keys = new ArrayList<>(current.keySet());
            Row old = current.get(keys.get(rnd.nextInt(keys.size())));
            panel.remove(old);
            double[] x = old.x();
            x[rnd.nextInt(K - 1)] += 0.1 * rnd.nextGaussian();
            Row revised = new Row(old.entity(), old.year(), old.y() + rnd.nextGaussian(), x);
            panel.add(revised);
            current.put(old.entity() + "/" + old.year(), revised);
        }
        for (int i = 0; i < 15; i++) {
            List<String> keys = new ArrayList<>(current.keySet());
            panel.remove(current.remove(keys.get(rnd.nextInt(keys.size()))));
        }
        Close.assertMatches(DummyRegression.fit(current.values(), ALL_TERMS),
                PanelEstimator.estimate(panel, TERMS), TERMS);
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33})
    void inferenceUsesStudentTOnPanelDegreesOfFreedomAndClusteredPForTheState(long seed) {
        Estimate estimate = estimate(Panels.random(seed));
        TDistribution classicalT = new TDistribution(estimate.observations() - estimate.entities() - K);
        TDistribution clusteredT = new TDistribution(estimate.entities() - 1);
        for (Coefficient c : estimate.coefficients()) {
            assertInference(c.estimate(), c.classical(), classicalT);
            assertInference(c.estimate(), c.clustered(), clusteredT);
            assertEquals(Significance.of(c.clustered().p()), c.significance(), c.term());
        }
    }

    private static void assertInference(double beta, Inference inference, TDistribution t) {
        assertEquals((int) t.getDegreesOfFreedom(), inference.df());
        Close.assertRelative(beta / inference.standardError(), inference.t(), "t");
        Close.assertRelative(2 * t.cumulativeProbability(-Math.abs(inference.t())), inference.p(), "p");
        double half = t.inverseCumulativeProbability(0.975) * inference.standardError();
        Close.assertRelative(beta - half, inference.lower95(), "lower 95%");
        Close.assertRelative(beta + half, inference.upper95(), "upper 95%");
    }

    @ParameterizedTest
    @CsvSource({"0.001, SIGNIFICANT", "0.0499, SIGNIFICANT", "0.05, WEAK", "0.07, WEAK", "0.10, WEAK",
            "0.1001, NOT_SIGNIFICANT", "0.9, NOT_SIGNIFICANT"})
    void significanceStateFollowsThePValueThresholds(double p, Significance expected) {
        assertEquals(expected, Significance.of(p));
    }

    @Test
    void standardisedCoefficientsUseWithinStandardDeviationsAndRankTheDrivers() {
        List<Row> rows = Panels.random(41);
        Estimate estimate = estimate(rows);
        Map<String, List<Row>> byEntity = rows.stream().collect(Collectors.groupingBy(Row::entity));
        byEntity.values().removeIf(list -> list.size() < 2);
        double[] squares = new double[K + 1];
        for (List<Row> list : byEntity.values()) {
            for (int j = 0; j <= K; j++) {
                int column = j;
                double mean = list.stream().mapToDouble(r -> value(r, column)).average().orElseThrow();
                squares[j] += list.stream().mapToDouble(r -> Math.pow(value(r, column) - mean, 2)).sum();
            }
        }
        for (int j = 0; j < K; j++) {
            Coefficient c = estimate.coefficients().get(j);
            Close.assertRelative(c.estimate() * Math.sqrt(squares[j] / squares[K]), c.standardised(), c.term());
        }
        List<String> expectedRanking = estimate.coefficients().stream()
                .sorted(Comparator.comparingDouble(c -> -Math.abs(c.standardised()))).map(Coefficient::term)
                .toList();
        assertEquals(expectedRanking, estimate.ranking());
        assertEquals(K, estimate.ranking().size());
    }

    private static double value(Row row, int column) {
        return column < K ? row.x(column) : row.y();
    }

    @Test
    void singleRowEntitiesAreLeftOutOfObservationsAndEntities() {
        List<Row> rows = Panels.random(42);
        Estimate before = estimate(rows);
        List<Row> more = new ArrayList<>(rows);
        more.add(new Row("ONE", 2015, 1e9, new double[] {1e5, -3, 7, 2e4, 0.5, 1}));
        Estimate after = estimate(more);
        assertEquals(before.observations(), after.observations());
        assertEquals(before.entities(), after.entities());
        assertEquals(before.coefficients(), after.coefficients());
        assertEquals(rows.size() - 1, before.observations(), "the fixture's own single-row entity is left out");
    }

    @Test
    void termWithoutWithinVariationIsDroppedAndTheOthersMatchAFitWithoutIt() {
        List<Row> rows = Panels.random(43).stream()
                .map(r -> Panels.withTerm(r, 2, 0.1 * r.entity().hashCode() % 7)).toList();
        Estimate estimate = estimate(rows);
        assertEquals(List.of("infra"), estimate.droppedTerms());
        assertTrue(estimate.coefficient("infra").isEmpty());
        assertFalse(estimate.ranking().contains("infra"));
        List<String> kept = List.of("ln_gdp", "openness", "ln_ict_lag", "ln_compute", "rcep");
        Close.assertMatches(DummyRegression.fit(rows, new int[] {0, 1, 3, 4, 5}), estimate, kept);
        assertEquals(estimate.observations() - estimate.entities() - kept.size(), estimate.residualDf());
    }

    @Test
    void collinearTermsAreNotIdentifiedWithTheTermNamed() {
        List<Row> rows = Panels.random(44).stream()
                .map(r -> Panels.withTerm(r, 4, r.x(0) - 2 * r.x(1) + r.entity().length())).toList();
        Estimate estimate = estimate(rows);
        assertNotIdentified(estimate, "collinear");
        assertTrue(estimate.reason().contains("ln_compute"), estimate.reason());
        assertTrue(estimate.observations() > 0);
    }

    @Test
    void designWithoutResidualDegreesOfFreedomIsNotIdentified() {
        Random rnd = new Random(45);
        List<Row> rows = new ArrayList<>();
        for (String entity : List.of("A", "B", "C")) {
            for (int year = 2020; year < 2023; year++) {
                rows.add(new Row(entity, year, rnd.nextGaussian(),
                        rnd.doubles(K).toArray()));
            }
        }
        Estimate estimate = estimate(rows);
        assertNotIdentified(estimate, "N − E − K = 9 − 3 − 6 = 0");
        assertEquals(0, estimate.residualDf());
    }

    @Test
    void exactFitIsNotIdentifiedInsteadOfGivingInfiniteT() {
        List<Row> rows = Panels.random(46).stream()
                .map(r -> new Row(r.entity(), r.year(), 2 * r.x(0) - r.x(5), r.x())).toList();
        assertNotIdentified(estimate(rows), "exactly");
    }

    @Test
    void emptyPanelIsNotIdentified() {
        Estimate estimate = PanelEstimator.estimate(new PanelAccumulator(K), TERMS);
        assertNotIdentified(estimate, "no entity");
        assertEquals(0, estimate.observations());
    }
}
