package io.dtm.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Independent reference: OLS with one dummy per entity (commons-math3, QR), classical SE with σ² on N − E − K
 * degrees of freedom, and a CR1 entity-clustered sandwich built over the full dummy design and its residuals.
 */
final class DummyRegression {

    record Result(double[] beta, double[] classicalSe, double[] clusteredSe, int observations, int entities,
            double rSquaredWithin) {
    }

    private DummyRegression() {
    }

    /** The fit of y on the {@code terms} columns of x and entity dummies; single-row entities are left out. */
    static Result fit(Collection<Row> rows, int[] terms) {
        Map<String, List<Row>> byEntity = new LinkedHashMap<>();
        rows.forEach(r -> byEntity.computeIfAbsent(r.entity(), e -> new ArrayList<>()).add(r));
        byEntity.values().removeIf(list -> list.size() < 2);
        int e = byEntity.size();
        int k = terms.length;
        int p = e + k;
        List<Row> used = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        int g = 0;
        for (List<Row> list : byEntity.values()) {
            for (Row r : list) {
                used.add(r);
                group.add(g);
            }
            g++;
        }
        int n = used.size();
        double[] y = new double[n];
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            Row r = used.get(i);
            y[i] = r.y();
            x[i][group.get(i)] = 1;
            for (int j = 0; j < k; j++) {
                x[i][e + j] = r.x(terms[j]);
            }
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        double[] b = ols.estimateRegressionParameters();
        double[] res = ols.estimateResiduals();
        double[][] inv = ols.estimateRegressionParametersVariance();
        double rss = 0;
        for (double v : res) {
            rss += v * v;
        }
        double sigma2 = rss / (n - e - k);
        double[][] scores = new double[e][p];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < p; a++) {
                scores[group.get(i)][a] += x[i][a] * res[i];
            }
        }
        double[][] meat = new double[p][p];
        for (double[] s : scores) {
            for (int a = 0; a < p; a++) {
                for (int c = 0; c < p; c++) {
                    meat[a][c] += s[a] * s[c];
                }
            }
        }
        double factor = e / (e - 1.0) * (n - 1.0) / (n - k);
        double[] beta = new double[k];
        double[] classical = new double[k];
        double[] clustered = new double[k];
        for (int j = 0; j < k; j++) {
            int a = e + j;
            beta[j] = b[a];
            classical[j] = Math.sqrt(sigma2 * inv[a][a]);
            double v = 0;
            for (int c = 0; c < p; c++) {
                for (int d = 0; d < p; d++) {
                    v += inv[a][c] * meat[c][d] * inv[d][a];
                }
            }
            clustered[j] = Math.sqrt(factor * v);
        }
        double tss = 0;
        for (List<Row> list : byEntity.values()) {
            double mean = list.stream().mapToDouble(Row::y).average().orElseThrow();
            for (Row r : list) {
                tss += (r.y() - mean) * (r.y() - mean);
            }
        }
        return new Result(beta, classical, clustered, n, e, 1 - rss / tss);
    }
}
