package io.dtm.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;

/**
 * Within (entity fixed-effects) estimator over a {@link PanelAccumulator}: β from the within normal equations
 * (Cholesky), classical and entity-clustered (CR1) inference, within R², standardised coefficients and the driver
 * ranking. An estimate costs O(G·k²) to sum the entities' co-moments (the within totals, and the entities' scores
 * for the clustered SE) and O(k³) for β and the classical SE; it never touches the rows. It is a function of the
 * rows held only, whatever the order of the updates that brought them.
 */
public final class PanelEstimator {

    /** A term whose within sum of squares is below this share of its raw sum of squares has no within variation. */
    static final double VARIATION_TOLERANCE = 1e-12;
    /** A variance inflation factor above this (1 − R² below 1e-10) counts as collinear. */
    static final double MAX_VARIANCE_INFLATION = 1e10;
    /** A residual sum of squares below this share of the within total sum of squares counts as an exact fit. */
    static final double EXACT_FIT_TOLERANCE = 1e-12;

    private PanelEstimator() {
    }

    /**
     * The estimate of the rows held by {@code panel}, with {@code termNames} naming the regressors in order.
     * Terms without within variation are dropped (listed in {@link Estimate#droppedTerms()}); an under-identified
     * or collinear design, or one without residual variation, gives {@link Status#NOT_IDENTIFIED} with a reason.
     */
    public static Estimate estimate(PanelAccumulator panel, List<String> termNames) {
        if (termNames.size() != panel.k()) {
            throw new IllegalArgumentException(termNames.size() + " term names for " + panel.k() + " regressors");
        }
        Fit fit = fit(panel, termNames);
        List<String> dropped = IntStream.range(0, panel.k()).filter(j -> fit.dropped()[j]).mapToObj(termNames::get)
                .toList();
        if (fit.status() != Status.OK) {
            return Estimate.notIdentified(fit.reason(), fit.observations(), fit.groups(), fit.residualDf(), dropped);
        }
        int[] kept = fit.kept();
        int kk = kept.length;
        int n = fit.observations();
        int g = fit.groups();
        double[][] inv = fit.inverse();
        double[][] clustered = clusteredCovariance(panel, fit);
        double sigma2 = fit.rss() / fit.residualDf();
        StudentT classicalT = StudentT.of(fit.residualDf());
        StudentT clusteredT = StudentT.of(g - 1);
        List<Coefficient> coefficients = new ArrayList<>(kk);
        for (int a = 0; a < kk; a++) {
            String term = termNames.get(kept[a]);
            double classicalVar = sigma2 * inv[a][a];
            double clusteredVar = clustered[a][a];
            if (!(classicalVar > 0) || !(clusteredVar > 0)) {
                return Estimate.notIdentified("zero standard error for term " + term, n, g, fit.residualDf(),
                        dropped);
            }
            double beta = fit.beta()[a];
            Inference classical = inference(beta, Math.sqrt(classicalVar), classicalT);
            Inference cluster = inference(beta, Math.sqrt(clusteredVar), clusteredT);
            double standardised = beta * Math.sqrt(fit.withinSquares()[a] / fit.withinSquaresY());
            coefficients.add(new Coefficient(term, beta, classical, cluster, standardised,
                    Significance.of(cluster.p())));
        }
        List<String> ranking = coefficients.stream()
                .sorted(Comparator.comparingDouble((Coefficient c) -> -Math.abs(c.standardised())))
                .map(Coefficient::term).toList();
        double r2 = 1 - fit.rss() / fit.withinSquaresY();
        return new Estimate(Status.OK, "", n, g, fit.residualDf(), r2, coefficients, dropped, ranking);
    }

    /**
     * Fits β by the within normal equations on the terms with within variation. Package-private so that the Chow
     * test can compare a restricted and an unrestricted fit.
     */
    static Fit fit(PanelAccumulator panel, List<String> termNames) {
        int k = panel.k();
        int n = panel.observations();
        int g = panel.groupCount();
        double[][] w = panel.within();
        double[] raw = panel.rawSquares();
        boolean[] dropped = withoutWithinVariation(w, raw, k);
        int[] kept = IntStream.range(0, k).filter(j -> !dropped[j]).toArray();
        int kk = kept.length;
        int df = n - g - kk;
        Optional<String> problem = Optional.empty();
        if (n == 0) {
            problem = Optional.of("no entity has two or more rows");
        } else if (kk == 0) {
            problem = Optional.of("no term varies within entities");
        } else if (df <= 0) {
            problem = Optional.of(String.format("under-identified: N − E − K = %d − %d − %d = %d ≤ 0", n, g, kk, df));
        } else if (g < 2) {
            problem = Optional.of("clustered inference needs at least two entities with two or more rows");
        } else if (!(w[k][k] > VARIATION_TOLERANCE * raw[k])) {
            problem = Optional.of("y does not vary within entities");
        }
        if (problem.isPresent()) {
            return Fit.failed(problem.get(), n, g, df, dropped);
        }
        double[][] a = new double[kk][kk];
        double[] b = new double[kk];
        for (int p = 0; p < kk; p++) {
            for (int q = 0; q < kk; q++) {
                a[p][q] = w[kept[p]][kept[q]];
            }
            b[p] = w[kept[p]][k];
        }
        Optional<ScaledCholesky> chol = ScaledCholesky.of(a);
        if (chol.isEmpty()) {
            return Fit.failed(collinearity(a, kept, termNames), n, g, df, dropped);
        }
        double[][] inv = chol.get().inverse();
        List<String> inflated = IntStream.range(0, kk).filter(p -> inv[p][p] * a[p][p] > MAX_VARIANCE_INFLATION)
                .mapToObj(p -> termNames.get(kept[p])).toList();
        if (!inflated.isEmpty()) {
            return Fit.failed("near-collinear terms (variance inflation above 1e10): " + String.join(", ", inflated),
                    n, g, df, dropped);
        }
        double[] beta = chol.get().solve(b);
        double explained = 0;
        for (int p = 0; p < kk; p++) {
            explained += beta[p] * b[p];
        }
        double rss = Math.max(0, w[k][k] - explained);
        if (!(rss > EXACT_FIT_TOLERANCE * w[k][k])) {
            return Fit.failed("the terms fit y exactly within entities (residual sum of squares is 0)", n, g, df,
                    dropped);
        }
        double[] squares = IntStream.range(0, kk).mapToDouble(p -> a[p][p]).toArray();
        return new Fit(Status.OK, "", n, g, df, dropped, kept, beta, inv, rss, squares, w[k][k]);
    }

    /** Per term, whether it has no within variation among the rows of {@code panel} (the rule of the estimator). */
    static boolean[] withoutWithinVariation(PanelAccumulator panel) {
        return withoutWithinVariation(panel.within(), panel.rawSquares(), panel.k());
    }

    private static boolean[] withoutWithinVariation(double[][] w, double[] raw, int k) {
        boolean[] dropped = new boolean[k];
        for (int j = 0; j < k; j++) {
            dropped[j] = !(w[j][j] > VARIATION_TOLERANCE * raw[j]);
        }
        return dropped;
    }

    /** Names the first kept term that is a linear combination of the kept terms before it. */
    private static String collinearity(double[][] a, int[] kept, List<String> termNames) {
        for (int m = 2; m <= kept.length; m++) {
            double[][] leading = new double[m][m];
            for (int p = 0; p < m; p++) {
                System.arraycopy(a[p], 0, leading[p], 0, m);
            }
            if (ScaledCholesky.of(leading).isEmpty()) {
                int last = m - 1;
                String earlier = IntStream.range(0, last).mapToObj(p -> termNames.get(kept[p]))
                        .collect(Collectors.joining(", "));
                return "collinear terms: " + termNames.get(kept[last]) + " is a linear combination of " + earlier
                        + " within entities";
            }
        }
        return "collinear terms";
    }

    /**
     * CR1 sandwich c · A⁻¹ (Σ_g s_g s_gᵀ) A⁻¹ with s_g = Sxy_g − Sxx_g β, the score of entity g (Σ_t x̃_gt û_gt),
     * from each entity's co-moments: O(G·k²), summed in entity order.
     */
    private static double[][] clusteredCovariance(PanelAccumulator panel, Fit fit) {
        int k = panel.k();
        int[] kept = fit.kept();
        int kk = kept.length;
        double[] beta = fit.beta();
        double[][] meat = new double[kk][kk];
        double[] s = new double[kk];
        for (PanelAccumulator.Group group : panel.groups()) {
            if (group.n() < 2) {
                continue;
            }
            for (int a = 0; a < kk; a++) {
                int p = kept[a];
                double score = group.m2(p, k);
                for (int e = 0; e < kk; e++) {
                    score -= group.m2(p, kept[e]) * beta[e];
                }
                s[a] = score;
            }
            for (int a = 0; a < kk; a++) {
                for (int c = 0; c < kk; c++) {
                    meat[a][c] += s[a] * s[c];
                }
            }
        }
        double n = fit.observations();
        double g = fit.groups();
        double factor = g / (g - 1) * (n - 1) / (n - kk);
        double[][] inv = fit.inverse();
        double[][] left = multiply(inv, meat);
        double[][] sandwich = multiply(left, inv);
        for (double[] row : sandwich) {
            for (int q = 0; q < kk; q++) {
                row[q] *= factor;
            }
        }
        return sandwich;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        return new Array2DRowRealMatrix(x, false)
                .multiply(new Array2DRowRealMatrix(y, false)).getData();
    }

    private static Inference inference(double beta, double se, StudentT t) {
        double stat = beta / se;
        double p = 2 * t.distribution().cumulativeProbability(-Math.abs(stat));
        double half = t.quantile975() * se;
        return new Inference(se, stat, p, beta - half, beta + half, t.df());
    }

    /**
     * A Student t distribution with its 97.5% quantile, kept per degrees of freedom: building one and inverting
     * its CDF is most of an update's cost, and the degrees of freedom rarely change between events.
     */
    private record StudentT(int df, TDistribution distribution, double quantile975) {

        private static final java.util.Map<Integer, StudentT> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
        private static final int MAX_CACHED = 4096;

        static StudentT of(int df) {
            StudentT cached = CACHE.get(df);
            if (cached != null) {
                return cached;
            }
            TDistribution t = new TDistribution(null, df);
            StudentT created = new StudentT(df, t, t.inverseCumulativeProbability(0.975));
            if (CACHE.size() < MAX_CACHED) {
                CACHE.put(df, created);
            }
            return created;
        }
    }

    /**
     * The within fit on the kept terms: β, (X̃ᵀX̃)⁻¹, RSS, the within sums of squares of the kept terms and of y.
     * Arrays are indexed by position in {@code kept}; they are empty when {@code status} is not OK.
     */
    record Fit(Status status, String reason, int observations, int groups, int residualDf, boolean[] dropped,
            int[] kept, double[] beta, double[][] inverse, double rss, double[] withinSquares,
            double withinSquaresY) {

        static Fit failed(String reason, int observations, int groups, int residualDf, boolean[] dropped) {
            return new Fit(Status.NOT_IDENTIFIED, reason, observations, groups, residualDf, dropped, new int[0],
                    new double[0], new double[0][0], 0, new double[0], 0);
        }
    }
}
