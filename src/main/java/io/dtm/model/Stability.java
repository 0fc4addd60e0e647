package io.dtm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Stability tests of the fixed-effects model: a Brown–Durbin–Evans CUSUM of recursive residuals on
 * forward-orthogonal-deviation data, and a Chow-type Wald test (entity-clustered) of a break in chosen slopes at a
 * given year.
 * Both are batch computations over a list of rows, meant to run after a debounce rather than per event.
 */
public final class Stability {

    /** RCEP's entry into force: the default break year of the Chow test. */
    public static final int DEFAULT_BREAK_YEAR = 2022;
    /** The constant a of the 5% CUSUM bound a·√(n−K)·(1 + 2(r−K)/(n−K)). */
    static final double CUSUM_BOUND_5PCT = 0.948;

    private Stability() {
    }

    /**
     * Forward orthogonal deviations of {@code rows}: for an entity with T rows ordered by year, row t (1-based, t &lt; T)
     * becomes c_t·(z_t − mean of its later rows) with c_t = √((T−t)/(T−t+1)), for z = x and y; an entity's last row
     * has none. This removes the entity effect and keeps iid errors iid. The result is ordered by (year, entity).
     */
    public static List<Row> forwardOrthogonalDeviations(List<Row> rows) {
        Map<String, TreeMap<Integer, Row>> byEntity = new TreeMap<>();
        for (Row row : rows) {
            if (byEntity.computeIfAbsent(row.entity(), e -> new TreeMap<>()).put(row.year(), row) != null) {
                throw new IllegalArgumentException("two rows for " + row.entity() + " " + row.year());
            }
        }
        List<Row> out = new ArrayList<>();
        for (TreeMap<Integer, Row> series : byEntity.values()) {
            List<Row> ordered = new ArrayList<>(series.values());
            int k = ordered.get(0).k();
            double[] laterX = new double[k];
            double laterY = 0;
            for (int t = ordered.size() - 1; t >= 0; t--) {
                Row row = ordered.get(t);
                int later = ordered.size() - 1 - t;
                if (later > 0) {
                    double c = Math.sqrt(later / (later + 1.0));
                    double[] x = new double[k];
                    for (int j = 0; j < k; j++) {
                        x[j] = c * (row.x(j) - laterX[j] / later);
                    }
                    out.add(new Row(row.entity(), row.year(), c * (row.y() - laterY / later), x));
                }
                for (int j = 0; j < k; j++) {
                    laterX[j] += row.x(j);
                }
                laterY += row.y();
            }
        }
        out.sort(Comparator.comparingInt(Row::year).thenComparing(Row::entity));
        return out;
    }

    /**
     * CUSUM stability ratio of the within model on {@code rows}: recursive residuals of y on x (no intercept) over
     * the forward-orthogonal-deviation rows stacked by (year, entity), W_r = Σ_{j≤r} w_j / σ̂ with σ̂ the sample
     * standard deviation of the recursive residuals, and ratio = max_r |W_r| / (0.948·√(n−K)·(1 + 2(r−K)/(n−K))).
     * Terms without within variation are left out; if the first K rows are rank deficient the recursion starts at
     * the first sample size with full rank, which then takes the place of K.
     */
    public static CusumResult cusum(List<Row> rows) {
        if (rows.isEmpty()) {
            return CusumResult.failed(Status.NOT_ENOUGH_DATA, "no rows", 0, List.of());
        }
        boolean[] dropped = PanelEstimator.withoutWithinVariation(PanelAccumulator.of(rows.get(0).k(), rows));
        List<Integer> droppedTerms = IntStream.range(0, dropped.length).filter(j -> dropped[j]).boxed().toList();
        int[] kept = IntStream.range(0, dropped.length).filter(j -> !dropped[j]).toArray();
        List<Row> fod = forwardOrthogonalDeviations(rows);
        int n = fod.size();
        if (kept.length == 0) {
            return CusumResult.failed(Status.NOT_IDENTIFIED, "no term varies within entities", n, droppedTerms);
        }
        if (n < kept.length + 2) {
            return CusumResult.failed(Status.NOT_ENOUGH_DATA, String.format(
                    "%d deviation rows for %d terms: at least K + 2 are needed", n, kept.length), n, droppedTerms);
        }
        Optional<RecursiveResiduals> recursive = recursiveResiduals(fod, kept);
        if (recursive.isEmpty()) {
            return CusumResult.failed(Status.NOT_IDENTIFIED, "collinear terms in the deviation rows", n,
                    droppedTerms);
        }
        double[] w = recursive.get().residuals();
        int m = w.length;
        if (m < 2) {
            return CusumResult.failed(Status.NOT_ENOUGH_DATA, "fewer than two recursive residuals", n,
                    droppedTerms);
        }
        double mean = 0;
        for (double v : w) {
            mean += v / m;
        }
        double squares = 0;
        for (double v : w) {
            squares += (v - mean) * (v - mean);
        }
        double sigma = Math.sqrt(squares / (m - 1));
        if (!(sigma > 0)) {
            return CusumResult.failed(Status.NOT_IDENTIFIED, "the recursive residuals do not vary", n,
                    droppedTerms);
        }
        double cumulative = 0;
        double ratio = -1;
        int at = 0;
        for (int j = 0; j < m; j++) {
            cumulative += w[j];
            double bound = CUSUM_BOUND_5PCT * Math.sqrt(m) * (1 + 2.0 * (j + 1) / m);
            double r = Math.abs(cumulative / sigma) / bound;
            if (r > ratio) {
                ratio = r;
                at = recursive.get().initialRows() + j + 1;
            }
        }
        return new CusumResult(Status.OK, "", ratio, at, fod.get(at - 1).year(), n,
                recursive.get().initialRows(), droppedTerms);
    }

    /**
     * Recursive residuals of y on the {@code terms} columns of x (no intercept), in row order:
     * w_r = (y_r − x_rᵀβ_{r−1}) / √(1 + x_rᵀ(X_{r−1}ᵀX_{r−1})⁻¹x_r) for every r after the first sample with full rank.
     * Empty when no sample has full rank (or one loses it).
     */
    static Optional<RecursiveResiduals> recursiveResiduals(List<Row> rows, int[] terms) {
        int kk = terms.length;
        double[][] xx = new double[kk][kk];
        double[] xy = new double[kk];
        double[] w = new double[rows.size()];
        int count = 0;
        int initial = 0;
        ScaledCholesky current = null;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double[] x = new double[kk];
            for (int p = 0; p < kk; p++) {
                x[p] = row.x(terms[p]);
            }
            if (current != null) {
                double[] beta = current.solve(xy);
                double[] px = current.solve(x);
                double fitted = 0;
                double leverage = 1;
                for (int p = 0; p < kk; p++) {
                    fitted += x[p] * beta[p];
                    leverage += x[p] * px[p];
                }
                w[count++] = (row.y() - fitted) / Math.sqrt(leverage);
            }
            for (int p = 0; p < kk; p++) {
                for (int q = 0; q < kk; q++) {
                    xx[p][q] += x[p] * x[q];
                }
                xy[p] += x[p] * row.y();
            }
            if (i + 1 >= kk) {
                Optional<ScaledCholesky> next = ScaledCholesky.of(xx);
                if (next.isEmpty() && current != null) {
                    return Optional.empty();
                }
                if (next.isPresent() && current == null) {
                    initial = i + 1;
                }
                current = next.orElse(null);
            }
        }
        return current == null ? Optional.empty()
                : Optional.of(new RecursiveResiduals(initial, Arrays.copyOf(w, count)));
    }

    /**
     * Chow-type break test: the within model on {@code rows} with the slopes of {@code termsTested} (indices into x)
     * allowed to differ from {@code breakYear} on (interactions x_j·1[year ≥ breakYear]), and a Wald test that the
     * interactions are 0 with the entity-clustered covariance of the estimator (CR1, plm's arellano/"sss"): F = W/q
     * on (q, G − 1), q the interactions identified (varying within entities, not collinear), and the wild cluster
     * bootstrap p-value of W; see {@link ClusteredWald}.
     */
    public static ChowResult chow(List<Row> rows, int breakYear, int[] termsTested) {
        if (rows.isEmpty()) {
            return ChowResult.failed(Status.NOT_ENOUGH_DATA, "no rows", breakYear);
        }
        int k = rows.get(0).k();
        if (termsTested.length == 0 || IntStream.of(termsTested).distinct().count() != termsTested.length
                || IntStream.of(termsTested).anyMatch(j -> j < 0 || j >= k)) {
            throw new IllegalArgumentException("tested terms must be distinct indices in 0.." + (k - 1));
        }
        boolean before = rows.stream().anyMatch(r -> r.year() < breakYear);
        boolean after = rows.stream().anyMatch(r -> r.year() >= breakYear);
        if (!before || !after) {
            return ChowResult.failed(Status.NOT_ENOUGH_DATA,
                    "rows are needed both before and from " + breakYear, breakYear);
        }
        ClusteredWald.Result wald = ClusteredWald.test(rows, year -> year >= breakYear, termsTested);
        if (wald.status() != Status.OK) {
            return ChowResult.failed(wald.status(), wald.reason(), breakYear);
        }
        if (wald.joint().isEmpty()) {
            return ChowResult.failed(Status.NOT_IDENTIFIED, wald.reason(), breakYear);
        }
        ClusteredWald.Joint joint = wald.joint().get();
        return new ChowResult(Status.OK, "", breakYear, joint.f(), joint.numeratorDf(), joint.denominatorDf(),
                joint.p(), joint.bootstrapP());
    }

    /** Recursive residuals after a first sample of {@code initialRows} rows. */
    record RecursiveResiduals(int initialRows, double[] residuals) {
    }
}
