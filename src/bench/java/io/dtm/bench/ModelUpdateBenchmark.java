package io.dtm.bench;

import io.dtm.model.Estimate;
import io.dtm.model.PanelAccumulator;
import io.dtm.model.PanelEstimator;
import io.dtm.model.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The drivers model's per-event update (remove a row, add its revision, re-estimate β with classical and
 * clustered standard errors from the sufficient statistics) against what a rolling OLS does at each step: a batch
 * refit of the same window on within-transformed data. k = 6 terms; {@code entities} × {@code years} rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ModelUpdateBenchmark {

    private static final int K = 6;
    private static final List<String> TERMS = List.of("ln_gdp", "openness", "infra", "ln_ict_lag", "ln_compute",
            "rcep");

    @Param({"15", "1000"})
    public int entities;

    @Param({"5", "20"})
    public int years;

    private PanelAccumulator panel;
    private List<Row> rows;
    private Row current;
    private Row revised;
    private final Random random = new Random(1);

    @Setup(Level.Trial)
    public void panel() {
        rows = new ArrayList<>();
        for (int i = 0; i < entities; i++) {
            double alpha = random.nextGaussian();
            for (int t = 0; t < years; t++) {
                double[] x = new double[K];
                for (int j = 0; j < K - 1; j++) {
                    x[j] = random.nextGaussian() + 0.1 * t;
                }
                x[K - 1] = t >= years / 2 ? 1 : 0;
                double y = alpha + 0.8 * x[0] + 0.3 * x[1] - 0.2 * x[2] + 0.1 * x[3] + 0.4 * x[4] + 0.2 * x[5]
                        + 0.3 * random.nextGaussian();
                rows.add(new Row("E" + i, 2000 + t, y, x));
            }
        }
        panel = PanelAccumulator.of(K, rows);
        current = rows.get(rows.size() / 2);
    }

    @Setup(Level.Invocation)
    public void revision() {
        revised = new Row(current.entity(), current.year(), current.y() + 0.01 * random.nextGaussian(), current.x());
    }

    /** One event: the revised row replaces the old one and both standard errors are recomputed. */
    @Benchmark
    public Estimate perEventUpdate() {
        panel.remove(current);
        panel.add(revised);
        current = revised;
        return PanelEstimator.estimate(panel, TERMS);
    }

    /** A rolling OLS step: demean every row by entity and refit the window from scratch. */
    @Benchmark
    public double[][] batchRefit() {
        Map<String, double[]> sums = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Row r : rows) {
            double[] s = sums.computeIfAbsent(r.entity(), e -> new double[K + 1]);
            for (int j = 0; j < K; j++) {
                s[j] += r.x(j);
            }
            s[K] += r.y();
            counts.merge(r.entity(), 1, Integer::sum);
        }
        double[][] x = new double[rows.size()][K];
        double[] y = new double[rows.size()];
        for (int n = 0; n < rows.size(); n++) {
            Row r = rows.get(n);
            double[] s = sums.get(r.entity());
            int c = counts.get(r.entity());
            for (int j = 0; j < K; j++) {
                x[n][j] = r.x(j) - s[j] / c;
            }
            y[n] = r.y() - s[K] / c;
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        return new double[][] {ols.estimateRegressionParameters(), ols.estimateRegressionParametersStandardErrors()};
    }
}
