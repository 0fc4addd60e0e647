package io.dtm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.dtm.events.RowDelta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** A model's live state: attribution against the previous coefficients, across restarts; deltas out of step. */
class ModelStateTest {

    private static final ModelSpec SPEC = ModelTopology.byName(ModelSpec.load("classpath:models-six-terms.yaml")).get("drivers");
    private static final ModelSnapshot.Trigger TRIGGER = new ModelSnapshot.Trigger("urn:t", "e", "2025-01-01", "X",
            2020);

    private static RowDelta.PanelRow panelRow(Row row) {
        return new RowDelta.PanelRow(row.y(), Arrays.stream(row.x()).boxed().toList());
    }

    private static RowDelta delta(Row before, Row after) {
        Row any = after == null ? before : after;
        return new RowDelta("drivers", any.entity(), any.year(), before == null ? null : panelRow(before),
                after == null ? null : panelRow(after), TRIGGER);
    }

    private static Row revised(Row row, double dy) {
        return new Row(row.entity(), row.year(), row.y() + dy, row.x());
    }

    private static ModelState loaded(List<Row> rows, ModelSnapshot last) {
        ModelState state = new ModelState(SPEC, last);
        rows.forEach(state::load);
        state.rebuildRolling();
        return state;
    }

    private static ModelSnapshot.Term term(ModelSnapshot snapshot, int estimate, String term) {
        return snapshot.estimates().get(estimate).terms().stream().filter(t -> t.term().equals(term)).findFirst()
                .orElseThrow();
    }

    @Test
    void theFirstEstimateHasNoChangeAndTheNextOneTheDifference() {
        List<Row> rows = Panels.random(61);
        ModelState state = new ModelState(SPEC, null);
        for (Row row : rows.subList(0, rows.size() - 1)) {
            assertTrue(state.apply(delta(null, row)));
        }
        ModelSnapshot first = state.snapshot(TRIGGER, 0);
        assertEquals(1, first.seq());
        for (ModelSnapshot.Term t : first.estimates().get(0).terms()) {
            assertNull(t.change(), "no previous coefficient for " + t.term());
        }
        assertTrue(state.apply(delta(null, rows.get(rows.size() - 1))));
        assertTrue(state.apply(delta(rows.get(3), revised(rows.get(3), 0.5))));
        ModelSnapshot second = state.snapshot(TRIGGER, 0);
        for (ModelSnapshot.Term t : second.estimates().get(0).terms()) {
            assertEquals(t.coefficient() - term(first, 0, t.term()).coefficient(), t.change(), 0, t.term());
        }
    }

    @Test
    void thePreviousCoefficientsSurviveARestart() {
        List<Row> rows = new ArrayList<>(Panels.random(62));
        ModelState before = new ModelState(SPEC, null);
        rows.forEach(r -> before.apply(delta(null, r)));
        ModelSnapshot stored = before.snapshot(TRIGGER, 0);

        ModelState restarted = loaded(rows, stored);
        Row old = rows.get(10);
        Row changed = revised(old, -0.3);
        assertTrue(restarted.apply(delta(old, changed)));
        ModelSnapshot next = restarted.snapshot(TRIGGER, 0);
        assertEquals(stored.seq() + 1, next.seq());
        for (int e = 0; e < 2; e++) {
            for (ModelSnapshot.Term t : next.estimates().get(e).terms()) {
                assertNotNull(t.change(), t.term());
                assertEquals(t.coefficient() - term(stored, e, t.term()).coefficient(), t.change(), 0, t.term());
            }
        }
    }

    @Test
    void aTermComingBackHasNoChange() {
        List<Row> rows = Panels.random(63);
        List<Row> flat = rows.stream().map(r -> Panels.withTerm(r, 2, 0.1 * (r.entity().hashCode() % 7))).toList();
        ModelState state = new ModelState(SPEC, null);
        flat.forEach(r -> state.apply(delta(null, r)));
        ModelSnapshot without = state.snapshot(TRIGGER, 0);
        assertTrue(without.estimates().get(0).dropped().contains("infra"));
        for (int i = 0; i < rows.size(); i++) {
            state.apply(delta(flat.get(i), rows.get(i)));
        }
        ModelSnapshot with = state.snapshot(TRIGGER, 0);
        assertNull(term(with, 0, "infra").change(), "infra was not in the previous estimate");
        assertNotNull(term(with, 0, "ln_gdp").change());
    }

    @Test
    void aNotIdentifiedEstimateHasNoRSquaredAndAStabilityNotComputedNoRatio() {
        ModelState state = new ModelState(SPEC, null);
        Random rnd = new Random(64);
        for (String entity : List.of("A", "B")) {
            for (int year = 2020; year < 2022; year++) {
                state.apply(delta(null, new Row(entity, year, rnd.nextGaussian(), rnd.doubles(6).toArray())));
            }
        }
        ModelSnapshot snapshot = state.snapshot(TRIGGER, 0);
        ModelSnapshot.Estimate all = snapshot.estimates().get(0);
        assertEquals("NOT_IDENTIFIED", all.status());
        assertNull(all.rSquared());
        assertTrue(all.terms().isEmpty());
        ModelSnapshot.Stability stability = state.stability();
        assertFalse(stability.status().equals("OK"), stability.status());
        assertNull(stability.ratio());
    }

    @Test
    void intervalsUseTheTQuantileOfEachTypeAndNameTheConvention() {
        List<Row> rows = Panels.random(65);
        ModelState state = new ModelState(SPEC, null);
        rows.forEach(r -> state.apply(delta(null, r)));
        ModelSnapshot.Estimate all = state.snapshot(TRIGGER, 0).estimates().get(0);
        for (ModelSnapshot.Term t : all.terms()) {
            ModelSnapshot.Inference clustered = t.clustered();
            assertEquals(all.entities() - 1, clustered.df());
            double q = new TDistribution(clustered.df()).inverseCumulativeProbability(0.975);
            assertEquals(t.coefficient() - q * clustered.standardError(), clustered.lower95(), 1e-12);
            assertEquals(t.coefficient() + q * clustered.standardError(), clustered.upper95(), 1e-12);
            assertEquals(all.residualDf(), t.classical().df());
            assertTrue(clustered.convention().contains("arellano") && clustered.convention().contains("G − 1"));
            assertTrue(t.classical().convention().contains("N − E − K"));
        }
    }

    @Test
    void theWindowsAfterARestartAreThoseBuiltRowByRowAndTheLastIsTheRollingEstimate() {
        List<Row> rows = new ArrayList<>(Panels.random(67));
        Collections.shuffle(rows, new Random(67));
        ModelState live = new ModelState(SPEC, null, 4);
        rows.forEach(r -> live.apply(delta(null, r)));
        ModelSnapshot.Estimate rolling = live.snapshot(TRIGGER, 0).estimates().get(1);
        List<ModelWindow> windows = live.windows();
        assertEquals(4, windows.size(), "the cap");
        ModelWindow last = windows.get(windows.size() - 1);
        assertEquals(rolling.lastYear(), last.windowEnd());
        assertEquals(rolling.firstYear(), last.firstYear());
        assertEquals(rolling.observations(), last.observations());
        assertEquals(rolling.rSquared(), last.rSquared());
        assertEquals(rolling.terms().size(), last.terms().size());
        for (int j = 0; j < last.terms().size(); j++) {
            assertEquals(rolling.terms().get(j).coefficient(), last.terms().get(j).coefficient());
            assertEquals(rolling.terms().get(j).clustered(), last.terms().get(j).clustered());
            assertEquals(rolling.terms().get(j).classical(), last.terms().get(j).classical());
        }
        ModelState.WindowChanges first = live.windowChanges();
        assertEquals(windows, first.changed(), "every window is new");
        assertTrue(live.windowChanges().changed().isEmpty(), "and shown once");

        ModelState restarted = new ModelState(SPEC, null, 4);
        rows.forEach(restarted::load);
        restarted.rebuildRolling();
        assertEquals(windows, restarted.windows(), "the same windows from the stored rows");
        assertTrue(loaded(rows, null).windows().size() > 4, "the default cap keeps more");
    }

    @Test
    void aDeltaWhoseOldRowIsNotInThePanelIsReportedAndThePanelTakesTheNewRow() {
        List<Row> rows = new ArrayList<>(Panels.random(66));
        ModelState state = new ModelState(SPEC, null);
        rows.forEach(r -> state.apply(delta(null, r)));
        Row held = rows.get(5);
        Row stranger = revised(held, 7);
        Row after = revised(held, 0.25);
        assertFalse(state.apply(delta(stranger, after)), "the old row was not the one held");
        rows.set(5, after);
        Row absent = new Row("NEW", 2015, 1, new double[6]);
        assertFalse(state.apply(delta(absent, null)), "a row to remove that is not there");
        Row extra = revised(rows.get(6), 1);
        assertFalse(state.apply(delta(null, extra)), "a row there that the delta did not know of");
        rows.set(6, extra);
        assertEquals(rows.stream().sorted(java.util.Comparator.comparingInt(Row::year).thenComparing(Row::entity))
                .toList(), state.rows());
        ModelSnapshot.Estimate all = state.snapshot(TRIGGER, 0).estimates().get(0);
        Estimate batch = PanelEstimator.estimate(PanelAccumulator.of(6, rows), SPEC.termNames());
        for (ModelSnapshot.Term t : all.terms()) {
            assertEquals(batch.coefficient(t.term()).orElseThrow().estimate(), t.coefficient(), 0, t.term());
        }
    }
}
