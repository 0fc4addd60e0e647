package io.dtm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.special.Beta;

/**
 * Wald test of a change of slopes in the within (entity fixed-effects) model: y on x and on x_j·d for the tested
 * terms j, d = 1 for the rows of the second part (by year), one fixed effect per entity common to both parts. The
 * interaction coefficient δ_j is the slope of the second part minus that of the first. Inference is
 * entity-clustered, so an entity's rows in both parts form one cluster: V = c · A⁻¹ (Σ_g s_g s_gᵀ) A⁻¹ with A the
 * within cross-product, s_g the entity's score and c = G/(G − 1) · (N − 1)/(N − K) (R plm's
 * {@code vcovHC(method = "arellano", type = "sss", cluster = "group")}); t on G − 1 degrees of freedom per term, and
 * F = δᵀV_δδ⁻¹δ / q on (q, G − 1) jointly. Entities with a single row carry no within information and are left out
 * of N and G, as in {@link PanelEstimator}. A batch computation over the rows: O(N·K²).
 */
final class ClusteredWald {

    /** Draws of the wild cluster bootstrap. */
    static final int DRAWS = 999;
    /** The bootstrap's fixed seed: a p-value is a function of the data alone. */
    static final long SEED = 20220101L;
    /** Webb's six-point weights, each with probability 1/6 (better than Rademacher with few entities). */
    private static final double[] WEBB = {-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)};

    private ClusteredWald() {
    }

    /**
     * One tested term: its index in x, the slope in the first part, the difference δ (second − first), its clustered
     * standard error, t and two-sided p on {@code df} = G − 1.
     */
    record Term(int index, double first, double difference, double standardError, double t, double p,
            double bootstrapP, int df) {
    }

    /** The joint test of every term in {@link Result#terms()}: F on (q, G − 1) and its p-value. */
    record Joint(double f, int numeratorDf, int denominatorDf, double p, double bootstrapP) {
    }

    /**
     * The outcome. When {@code status} is not {@link Status#OK}, {@code reason} says why and there are no terms and
     * no joint test. Otherwise {@code terms} are the tested terms whose difference is identified (in the order
     * asked), {@code untested} the others (no within variation, or collinear with the rest of the design), and
     * {@code joint} is empty when the clustered covariance of the differences is singular (reason then says so).
     */
    record Result(Status status, String reason, int observations, int entities, List<Term> terms,
            List<Integer> untested, Optional<Joint> joint) {

        static Result failed(Status status, String reason, int observations, int entities) {
            return new Result(status, reason, observations, entities, List.of(), List.of(), Optional.empty());
        }
    }

    /**
     * The test on {@code rows} (one per entity and year, all with the same number of regressors), the second part
     * being the rows whose year satisfies {@code second}, for the slopes of {@code tested} (distinct indices into x).
     */
    static Result test(List<Row> rows, IntPredicate second, int[] tested) {
        if (rows.isEmpty()) {
            return Result.failed(Status.NOT_ENOUGH_DATA, "no rows", 0, 0);
        }
        int k = rows.get(0).k();
        int m = k + tested.length;
        Map<String, List<Row>> byEntity = new TreeMap<>();
        rows.forEach(r -> byEntity.computeIfAbsent(r.entity(), e -> new ArrayList<>()).add(r));
        byEntity.values().removeIf(list -> list.size() < 2);
        int g = byEntity.size();
        int n = byEntity.values().stream().mapToInt(List::size).sum();
        if (g < 2) {
            return Result.failed(Status.NOT_ENOUGH_DATA,
                    "clustered inference needs at least two entities with two or more rows", n, g);
        }
        // within-transformed design: mains, then interactions; y last
        double[][] z = new double[n][m + 1];
        int[] cluster = new int[n];
        double[] raw = new double[m + 1];
        int i = 0;
        int entityIndex = 0;
        for (List<Row> entity : byEntity.values()) {
            int start = i;
            double[] mean = new double[m + 1];
            for (Row r : entity) {
                double d = second.test(r.year()) ? 1 : 0;
                for (int j = 0; j < k; j++) {
                    z[i][j] = r.x(j);
                }
                for (int t = 0; t < tested.length; t++) {
                    z[i][k + t] = r.x(tested[t]) * d;
                }
                z[i][m] = r.y();
                for (int j = 0; j <= m; j++) {
                    mean[j] += z[i][j] / entity.size();
                    raw[j] += z[i][j] * z[i][j];
                }
                cluster[i++] = entityIndex;
            }
            for (int row = start; row < i; row++) {
                for (int j = 0; j <= m; j++) {
                    z[row][j] -= mean[j];
                }
            }
            entityIndex++;
        }
        double[][] cross = new double[m + 1][m + 1];
        for (double[] row : z) {
            for (int a = 0; a <= m; a++) {
                for (int b = 0; b <= a; b++) {
                    cross[a][b] += row[a] * row[b];
                }
            }
        }
        for (int a = 0; a <= m; a++) {
            for (int b = 0; b < a; b++) {
                cross[b][a] = cross[a][b];
            }
        }
        if (!varies(cross, raw, m)) {
            return Result.failed(Status.NOT_IDENTIFIED, "y does not vary within entities", n, g);
        }
        List<Integer> kept = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            if (varies(cross, raw, j)) {
                kept.add(j);
            }
        }
        if (kept.isEmpty()) {
            return Result.failed(Status.NOT_IDENTIFIED, "no term varies within entities", n, g);
        }
        if (ScaledCholesky.of(sub(cross, kept)).isEmpty()) {
            return Result.failed(Status.NOT_IDENTIFIED, "collinear terms within entities", n, g);
        }
        int mains = kept.size();
        List<Integer> untested = new ArrayList<>();
        for (int t = 0; t < tested.length; t++) {
            int column = k + t;
            kept.add(column);
            if (!varies(cross, raw, tested[t]) || !varies(cross, raw, column)
                    || ScaledCholesky.of(sub(cross, kept)).isEmpty()) {
                kept.remove(kept.size() - 1);
                untested.add(tested[t]);
            }
        }
        int kk = kept.size();
        if (kk == mains) {
            return Result.failed(Status.NOT_IDENTIFIED,
                    "no tested slope is identified in both parts (no within variation, or collinear)", n, g);
        }
        int residualDf = n - g - kk;
        if (residualDf <= 0) {
            return Result.failed(Status.NOT_IDENTIFIED, String.format(
                    "under-identified: N − E − K = %d − %d − %d = %d ≤ 0", n, g, kk, residualDf), n, g);
        }
        double rss = 0;
        double[][][] h = new double[g][kk][kk];
        double[][] c = new double[g][kk];
        for (int row = 0; row < n; row++) {
            double[] x = new double[kk];
            for (int p = 0; p < kk; p++) {
                x[p] = z[row][kept.get(p)];
            }
            int at = cluster[row];
            for (int p = 0; p < kk; p++) {
                c[at][p] += x[p] * z[row][m];
                for (int r = 0; r < kk; r++) {
                    h[at][p][r] += x[p] * x[r];
                }
            }
        }
        Sandwich sandwich = new Sandwich(h, sub(cross, kept), g / (g - 1.0) * (n - 1.0) / (n - kk));
        double[] beta = sandwich.beta(c);
        for (int row = 0; row < n; row++) {
            double e = z[row][m];
            for (int p = 0; p < kk; p++) {
                e -= z[row][kept.get(p)] * beta[p];
            }
            rss += e * e;
        }
        if (!(rss > PanelEstimator.EXACT_FIT_TOLERANCE * cross[m][m])) {
            return Result.failed(Status.NOT_IDENTIFIED,
                    "the terms fit y exactly within entities (residual sum of squares is 0)", n, g);
        }
        double[][] v = sandwich.covariance(c, beta);
        int df = g - 1;
        List<Integer> positions = new ArrayList<>();
        for (int p = mains; p < kk; p++) {
            if (v[p][p] > 0) {
                positions.add(p);
            } else {
                untested.add(tested[kept.get(p) - k]);
            }
        }
        if (positions.isEmpty()) {
            return Result.failed(Status.NOT_IDENTIFIED, "zero clustered standard error for every tested slope", n,
                    g);
        }
        List<Term> terms = new ArrayList<>();
        for (int p : positions) {
            int index = tested[kept.get(p) - k];
            double se = Math.sqrt(v[p][p]);
            double t = beta[p] / se;
            List<Integer> restricted = new ArrayList<>(IntStream.range(0, kk).boxed().toList());
            restricted.remove(Integer.valueOf(p));
            double boot = sandwich.bootstrap(c, restricted, List.of(p), Math.abs(t), true);
            terms.add(new Term(index, beta[kept.indexOf(index)], beta[p], se, t, studentP(t, df), boot, df));
        }
        OptionalDouble wald = wald(beta, v, positions);
        Optional<Joint> joint = Optional.empty();
        if (wald.isPresent() && positions.size() <= df) {
            int q = positions.size();
            double f = wald.getAsDouble() / q;
            double boot = sandwich.bootstrap(c, IntStream.range(0, mains).boxed().toList(), positions,
                    wald.getAsDouble(), false);
            joint = Optional.of(new Joint(f, q, df, fisherP(f, q, df), boot));
        }
        String reason = joint.isPresent() ? "" : String.format(
                "the clustered covariance of the %d differences is singular on G − 1 = %d degrees of freedom",
                positions.size(), df);
        return new Result(Status.OK, reason, n, g, terms, untested, joint);
    }

    /** δᵀ V_δδ⁻¹ δ for the coefficients at {@code positions}; empty when V_δδ is singular. */
    private static OptionalDouble wald(double[] beta, double[][] v, List<Integer> positions) {
        int q = positions.size();
        double[][] vd = new double[q][q];
        double[] d = new double[q];
        for (int a = 0; a < q; a++) {
            d[a] = beta[positions.get(a)];
            for (int b = 0; b < q; b++) {
                vd[a][b] = v[positions.get(a)][positions.get(b)];
            }
        }
        Optional<ScaledCholesky> chol = ScaledCholesky.of(vd);
        if (chol.isEmpty()) {
            return OptionalDouble.empty();
        }
        double[] solved = chol.get().solve(d);
        double w = 0;
        for (int a = 0; a < q; a++) {
            w += d[a] * solved[a];
        }
        return OptionalDouble.of(w);
    }

    /**
     * The fit and its CR1 covariance from per-entity cross products H_g = X̃_gᵀX̃_g and c_g = X̃_gᵀỹ_g, so that a
     * wild bootstrap draw, which only changes ỹ, costs O(G·K²) without touching the rows.
     */
    private static final class Sandwich {

        private final double[][][] h;
        private final double[][] a;
        private final double[][] inverse;
        private final ScaledCholesky chol;
        private final double factor;

        Sandwich(double[][][] h, double[][] a, double factor) {
            this.h = h;
            this.a = a;
            this.chol = ScaledCholesky.of(a).orElseThrow();
            this.inverse = chol.inverse();
            this.factor = factor;
        }

        double[] beta(double[][] c) {
            double[] b = new double[a.length];
            for (double[] cg : c) {
                for (int p = 0; p < b.length; p++) {
                    b[p] += cg[p];
                }
            }
            return chol.solve(b);
        }

        /** factor · A⁻¹ (Σ_g s_g s_gᵀ) A⁻¹ with s_g = c_g − H_g β. */
        double[][] covariance(double[][] c, double[] beta) {
            int kk = beta.length;
            double[][] meat = new double[kk][kk];
            double[] s = new double[kk];
            for (int at = 0; at < c.length; at++) {
                for (int p = 0; p < kk; p++) {
                    double sum = c[at][p];
                    for (int r = 0; r < kk; r++) {
                        sum -= h[at][p][r] * beta[r];
                    }
                    s[p] = sum;
                }
                for (int p = 0; p < kk; p++) {
                    for (int r = 0; r <= p; r++) {
                        meat[p][r] += s[p] * s[r];
                    }
                }
            }
            for (int p = 0; p < kk; p++) {
                for (int r = 0; r < p; r++) {
                    meat[r][p] = meat[p][r];
                }
            }
            Array2DRowRealMatrix bread = new Array2DRowRealMatrix(inverse, false);
            return bread.multiply(new Array2DRowRealMatrix(meat, false)).multiply(bread).scalarMultiply(factor)
                    .getData();
        }

        /**
         * Wild cluster bootstrap p-value with the null imposed (WCR): ỹ* = X̃_R β_R + w_g ê_R, from the restricted
         * fit on the columns {@code restricted}, with Webb's six-point weights w_g per entity, {@value #DRAWS} draws
         * from a fixed seed (the same data always give the same p). The statistic is |t| of the one position in
         * {@code tested} ({@code single}) or the Wald statistic of {@code tested}; a draw whose covariance is
         * singular counts as extreme. p = the share of draws whose statistic is at least {@code observed}.
         */
        double bootstrap(double[][] c, List<Integer> restricted, List<Integer> tested, double observed,
                boolean single) {
            int kk = a.length;
            int g = c.length;
            int rr = restricted.size();
            double[][] ar = new double[rr][rr];
            double[] br = new double[rr];
            for (int p = 0; p < rr; p++) {
                for (int r = 0; r < rr; r++) {
                    ar[p][r] = a[restricted.get(p)][restricted.get(r)];
                }
                for (double[] cg : c) {
                    br[p] += cg[restricted.get(p)];
                }
            }
            double[] betaR = ScaledCholesky.of(ar).orElseThrow().solve(br);
            double[][] fitted = new double[g][kk];
            double[][] residual = new double[g][kk];
            for (int at = 0; at < g; at++) {
                for (int p = 0; p < kk; p++) {
                    double u = 0;
                    for (int r = 0; r < rr; r++) {
                        u += h[at][p][restricted.get(r)] * betaR[r];
                    }
                    fitted[at][p] = u;
                    residual[at][p] = c[at][p] - u;
                }
            }
            SplittableRandom random = new SplittableRandom(SEED);
            double[][] star = new double[g][kk];
            int extreme = 0;
            for (int draw = 0; draw < DRAWS; draw++) {
                for (int at = 0; at < g; at++) {
                    double w = WEBB[random.nextInt(WEBB.length)];
                    for (int p = 0; p < kk; p++) {
                        star[at][p] = fitted[at][p] + w * residual[at][p];
                    }
                }
                double[] b = beta(star);
                double[][] v = covariance(star, b);
                double statistic;
                if (single) {
                    int p = tested.get(0);
                    statistic = v[p][p] > 0 ? Math.abs(b[p]) / Math.sqrt(v[p][p]) : Double.POSITIVE_INFINITY;
                } else {
                    statistic = wald(b, v, tested).orElse(Double.POSITIVE_INFINITY);
                }
                if (statistic >= observed) {
                    extreme++;
                }
            }
            return extreme / (double) DRAWS;
        }
    }

    /** Two-sided p-value of t on {@code df} degrees of freedom, from the regularized incomplete beta (no 1 − cdf). */
    static double studentP(double t, int df) {
        return Beta.regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
    }

    /** Upper-tail p-value of F on ({@code d1}, {@code d2}) degrees of freedom, without cancellation. */
    static double fisherP(double f, int d1, int d2) {
        return Beta.regularizedBeta(d2 / (d2 + d1 * f), d2 / 2.0, d1 / 2.0);
    }

    private static boolean varies(double[][] cross, double[] raw, int j) {
        return cross[j][j] > PanelEstimator.VARIATION_TOLERANCE * raw[j];
    }

    private static double[][] sub(double[][] cross, List<Integer> columns) {
        int s = columns.size();
        double[][] out = new double[s][s];
        for (int p = 0; p < s; p++) {
            for (int r = 0; r < s; r++) {
                out[p][r] = cross[columns.get(p)][columns.get(r)];
            }
        }
        return out;
    }
}
