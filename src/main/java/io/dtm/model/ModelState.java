package io.dtm.model;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.RowDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The live state of one model: the panel of every year ({@code all}) and of the rolling window, updated row by
 * row; estimates them and turns the result into a {@link ModelSnapshot}. The coefficients of the last snapshot (the
 * base of each term's change) start from the snapshot the model's store held, so they survive a restart. Pure: no
 * Kafka.
 */
final class ModelState {

    /** The convention of the classical inference, as the API states it. */
    static final String CLASSICAL = "classical: σ² (X̃ᵀX̃)⁻¹, σ² = RSS / (N − E − K); t on N − E − K";
    /** The convention of the clustered inference, as the API states it. */
    static final String CLUSTERED = "CR1 clustered by entity, as R plm vcovHC(method = \"arellano\", type = \"sss\","
            + " cluster = \"group\"); t on G − 1";

    private final ModelSpec spec;
    private final PanelAccumulator all;
    private PanelAccumulator rolling;
    private Optional<RollingWindow> window = Optional.empty();
    private final Map<String, Map<String, Double>> lastBeta = new HashMap<>();
    private ModelSnapshot.Stability stability;
    private long seq;

    /** A model's state after {@code last}, its latest stored snapshot ({@code null} for none). */
    ModelState(ModelSpec spec, ModelSnapshot last) {
        this.spec = spec;
        this.all = new PanelAccumulator(spec.terms().size());
        this.rolling = new PanelAccumulator(spec.terms().size());
        this.seq = last == null ? 0 : last.seq();
        if (last != null) {
            for (ModelSnapshot.Estimate e : last.estimates()) {
                Map<String, Double> betas = new HashMap<>();
                e.terms().forEach(t -> betas.put(t.term(), t.coefficient()));
                lastBeta.put(e.estimate(), betas);
            }
            stability = last.stability();
        }
    }

    static Row row(String entity, int year, RowDelta.PanelRow panelRow) {
        return new Row(entity, year, panelRow.y(), panelRow.x().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Adds a stored row (at start, before any snapshot). */
    void load(Row row) {
        all.add(row);
    }

    /**
     * Applies a delta: replaces the row of its entity and year by the new one (or removes it), and moves the rolling
     * window when it should. The panel takes the new row even when the delta's old row is not the row it held.
     *
     * @return {@code false} when the delta's old row was not the row the panel held (a row to remove that is not
     *         there, or a row there that the delta did not know of)
     */
    boolean apply(RowDelta delta) {
        Row before = delta.before() == null ? null : row(delta.entity(), delta.year(), delta.before());
        Row after = delta.after() == null ? null : row(delta.entity(), delta.year(), delta.after());
        Row held = all.row(delta.entity(), delta.year()).orElse(null);
        replace(all, held, after);
        Optional<RollingWindow> next = RollingWindow.of(all.rowsPerYear(), all.entityCount(), spec.windowYears());
        if (!next.equals(window)) {
            window = next;
            rebuildRolling();
        } else if (window.isPresent() && window.get().contains(delta.year())) {
            replace(rolling, rolling.row(delta.entity(), delta.year()).orElse(null), after);
        }
        return Objects.equals(before, held);
    }

    private static void replace(PanelAccumulator panel, Row held, Row after) {
        if (held != null) {
            panel.remove(held);
        }
        if (after != null) {
            panel.add(after);
        }
    }

    /** Rebuilds the rolling panel from {@code all} (when the window moves, and at start). */
    void rebuildRolling() {
        window = RollingWindow.of(all.rowsPerYear(), all.entityCount(), spec.windowYears());
        List<Row> inWindow = new ArrayList<>();
        window.ifPresent(w -> all.rows().stream().filter(r -> w.contains(r.year())).forEach(inWindow::add));
        rolling = PanelAccumulator.of(spec.terms().size(), inWindow);
    }

    /** The rows of every year, ordered by (year, entity). */
    List<Row> rows() {
        return all.rows();
    }

    /** Recomputes the stability tests on every row, and the driver-shift test of the rolling window. */
    ModelSnapshot.Stability stability() {
        List<Row> rows = all.rows();
        CusumResult cusum = Stability.cusum(rows);
        List<String> names = spec.termNames();
        int[] tested = java.util.stream.IntStream.range(0, names.size()).filter(j -> !names.get(j).equals("rcep"))
                .toArray();
        ChowResult chow = Stability.chow(rows, spec.breakAt(), tested);
        boolean chowOk = chow.status() == Status.OK;
        stability = new ModelSnapshot.Stability(cusum.status().name(), cusum.reason(),
                cusum.status() == Status.OK ? cusum.ratio() : null, cusum.status() == Status.OK ? cusum.maxYear() : null,
                spec.breakAt(), chowOk ? chow.fStatistic() : null, chowOk ? chow.pValue() : null, chow.status().name(),
                chowOk ? chow.bootstrapP() : null, shift(rows));
        return stability;
    }

    private ModelSnapshot.Shift shift(List<Row> rows) {
        ShiftResult r = window.map(w -> ShiftTest.test(rows, w, spec.termNames())).orElseGet(() ->
                ShiftResult.failed(Status.NOT_ENOUGH_DATA, "no rolling window yet", null, null, 0, 0));
        ModelSnapshot.ShiftJoint joint = r.jointTest().map(j -> new ModelSnapshot.ShiftJoint(j.f(), j.numeratorDf(),
                j.denominatorDf(), j.p(), j.bootstrapP())).orElse(null);
        return new ModelSnapshot.Shift(r.status().name(), r.reason().isEmpty() ? null : r.reason(), r.firstYear(),
                r.window() == null ? null : r.window().first(), r.window() == null ? null : r.window().last(),
                r.observations(), r.entities(), r.terms().stream().map(t -> new ModelSnapshot.ShiftTerm(t.term(),
                        t.before(), t.window(), t.difference(), t.standardError(), t.t(), t.p(), t.bootstrapP(),
                        t.df())).toList(), r.untested(), joint);
    }

    /** The snapshot after the change {@code trigger} caused. */
    ModelSnapshot snapshot(ModelSnapshot.Trigger trigger, long now) {
        seq++;
        List<ModelSnapshot.Estimate> estimates = List.of(
                view("all", PanelEstimator.estimate(all, spec.termNames()), null),
                view("rolling", PanelEstimator.estimate(rolling, spec.termNames()), window.orElse(null)));
        return new ModelSnapshot(spec.name(), seq, now, trigger, estimates, stability);
    }

    private ModelSnapshot.Estimate view(String name, Estimate e, RollingWindow w) {
        Map<String, Double> previous = lastBeta.computeIfAbsent(name, k -> new HashMap<>());
        List<ModelSnapshot.Term> terms = new ArrayList<>();
        Map<String, Double> current = new HashMap<>();
        for (Coefficient c : e.coefficients()) {
            Double change = previous.containsKey(c.term()) ? c.estimate() - previous.get(c.term()) : null;
            current.put(c.term(), c.estimate());
            terms.add(new ModelSnapshot.Term(c.term(), c.estimate(), change, c.standardised(), c.significance().name(),
                    inference(c.classical(), CLASSICAL), inference(c.clustered(), CLUSTERED)));
        }
        lastBeta.put(name, current);
        return new ModelSnapshot.Estimate(name, e.status().name(), e.reason().isEmpty() ? null : e.reason(),
                w == null ? null : w.first(), w == null ? null : w.last(), e.observations(), e.entities(),
                e.residualDf(), e.rSquaredWithin(), terms, e.droppedTerms(), e.ranking());
    }

    private static ModelSnapshot.Inference inference(Inference i, String convention) {
        return new ModelSnapshot.Inference(i.standardError(), i.t(), i.p(), i.lower95(), i.upper95(), i.df(),
                convention);
    }
}
