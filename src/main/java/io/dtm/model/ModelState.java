package io.dtm.model;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.dtm.events.RowDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The live state of one model: the panel of every year ({@code all}) and of each rolling window by end year (the
 * latest is the rolling window), updated row by row; estimates them and turns the result into a
 * {@link ModelSnapshot} and {@link ModelWindow}s. The coefficients of the last snapshot (the
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
    private final WindowEstimates windows;
    private Optional<RollingWindow> window = Optional.empty();
    private final Map<String, Map<String, Double>> lastBeta = new HashMap<>();
    private ModelSnapshot.Stability stability;
    private long seq;

    /** A model's state after {@code last}, its latest stored snapshot ({@code null} for none). */
    ModelState(ModelSpec spec, ModelSnapshot last) {
        this(spec, last, WindowEstimates.DEFAULT_MAX_WINDOWS);
    }

    /** The same, keeping the estimates of the latest {@code maxWindows} window end years. */
    ModelState(ModelSpec spec, ModelSnapshot last, int maxWindows) {
        this.spec = spec;
        this.all = new PanelAccumulator(spec.terms().size());
        this.windows = new WindowEstimates(spec.termNames(), spec.windowYears(), maxWindows);
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
     * Applies a delta: replaces the row of its entity and year by the new one (or removes it) in every year's panel
     * and in the windows that contain its year, and moves the windows when they should. The panel takes the new row
     * even when the delta's old row is not the row it held.
     *
     * @return {@code false} when the delta's old row was not the row the panel held (a row to remove that is not
     *         there, or a row there that the delta did not know of)
     */
    boolean apply(RowDelta delta) {
        Row before = delta.before() == null ? null : row(delta.entity(), delta.year(), delta.before());
        Row after = delta.after() == null ? null : row(delta.entity(), delta.year(), delta.after());
        Row held = all.row(delta.entity(), delta.year()).orElse(null);
        replace(all, held, after);
        window = windows.apply(delta.entity(), delta.year(), after, all);
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

    /** Builds the windows again from {@code all} (at start, after {@link #load}). */
    void rebuildRolling() {
        window = windows.rebuild(all);
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
                view("rolling", windows.latestEstimate(), window.orElse(null)));
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

    /** The estimates of every window held, by end year ascending. */
    List<ModelWindow> windows() {
        return windows.ends().stream().map(this::window).toList();
    }

    /**
     * The windows whose rows changed or that appeared since the last call, and the end years of those that went;
     * forgets them.
     */
    WindowChanges windowChanges() {
        WindowEstimates.Changes changes = windows.drain();
        return new WindowChanges(changes.changed().stream().map(this::window).toList(), List.copyOf(changes.removed()));
    }

    /** Windows to show again, and the end years of the windows to take away. */
    record WindowChanges(List<ModelWindow> changed, List<Integer> removed) {
    }

    private ModelWindow window(int end) {
        Estimate e = windows.estimate(end);
        List<ModelWindow.Term> terms = e.coefficients().stream().map(c -> new ModelWindow.Term(c.term(), c.estimate(),
                c.standardised(), c.significance().name(), inference(c.classical(), CLASSICAL),
                inference(c.clustered(), CLUSTERED))).toList();
        return new ModelWindow(end, windows.window(end).first(), windows.rows(end), e.observations(), e.entities(),
                e.residualDf(), e.status().name(), e.reason().isEmpty() ? null : e.reason(), e.rSquaredWithin(), terms,
                e.droppedTerms());
    }

    private static ModelSnapshot.Inference inference(Inference i, String convention) {
        return new ModelSnapshot.Inference(i.standardError(), i.t(), i.p(), i.lower95(), i.upper95(), i.df(),
                convention);
    }
}
