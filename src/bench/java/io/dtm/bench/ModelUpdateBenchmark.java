package io.dtm.bench;

import io.dtm.model.Estimate;
import io.dtm.model.PanelAccumulator;
import io.dtm.model.PanelEstimator;
import io.dtm.model.Row;
import io.dtm.model.WindowEstimates;
import java.util.ArrayList;
import java.util.Collections;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The drivers model's per-event update (remove a row, add its revision, re-estimate β with classical and
 * clustered standard errors from the sufficient statistics) against what a rolling OLS does at each step: a batch
 * refit of the same window on within-transformed data. k = 6 terms; {@code entities} × {@code years} rows.
 * {@link #perEventModelUpdate} is the model's whole update with its windows by end year ({@code windows}: 1 is the
 * rolling window alone, 20 every end year of a 24-year panel), against {@link #perEventBeforeWindows}, the update as
 * it was before the windows by end year (every year and the rolling window, both estimated at each event).
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

    /** Window end years kept by {@link #perEventModelUpdate} (the latest ones); 1 is the rolling window alone. */
    @Param({"1", "20"})
    public int windows;

    /** Years of the panel of {@link #perEventModelUpdate} and {@link #perEventBeforeWindows}: 20 windows of 5. */
    private static final int MODEL_YEARS = 24;
    private static final int WINDOW = 5;

    private PanelAccumulator panel;
    private List<Row> rows;
    private Row current;
    private final Random random = new Random(1);

    private PanelAccumulator all;
    private PanelAccumulator rolling;
    private WindowEstimates byEnd;
    /** The model panel's rows in a seeded shuffle: the events revise them in turn, every year as often. */
    private Row[] modelRows;
    private int next;

    @Setup(Level.Trial)
    public void panel() {
        rows = generate(entities, years);
        panel = PanelAccumulator.of(K, rows);
        current = rows.get(rows.size() / 2);

        List<Row> model = generate(entities, MODEL_YEARS);
        Collections.shuffle(model, new Random(2));
        modelRows = model.toArray(new Row[0]);
        all = PanelAccumulator.of(K, model);
        byEnd = new WindowEstimates(TERMS, WINDOW, windows);
        byEnd.rebuild(all);
        byEnd.drain();
        rolling = PanelAccumulator.of(K, model.stream().filter(r -> r.year() > 2000 + MODEL_YEARS - 1 - WINDOW)
                .toList());
    }

    /** {@code entities} × {@code span} rows from 2000 on. */
    private List<Row> generate(int entities, int span) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < entities; i++) {
            double alpha = random.nextGaussian();
            for (int t = 0; t < span; t++) {
                double[] x = new double[K];
                for (int j = 0; j < K - 1; j++) {
                    x[j] = random.nextGaussian() + 0.1 * t;
                }
                x[K - 1] = t >= span / 2 ? 1 : 0;
                double y = alpha + 0.8 * x[0] + 0.3 * x[1] - 0.2 * x[2] + 0.1 * x[3] + 0.4 * x[4] + 0.2 * x[5]
                        + 0.3 * random.nextGaussian();
                out.add(new Row("E" + i, 2000 + t, y, x));
            }
        }
        return out;
    }

    /** The next model row and its revision; the revision takes its place. */
    private Row[] nextRevision() {
        Row old = modelRows[next];
        Row revised = new Row(old.entity(), old.year(), old.y() + 0.01 * random.nextGaussian(), old.x());
        modelRows[next] = revised;
        next = (next + 1) % modelRows.length;
        return new Row[] {old, revised};
    }

    /**
     * One event of the model as it is: the revised row replaces the old one in every year's panel and in the windows
     * that contain its year (up to 5 of them, or none), then every year's estimate, the rolling window's (kept when
     * none of its rows changed) and those of the windows touched are computed again. Revisions go through every row
     * of the 24 years in turn.
     */
    @Benchmark
    public void perEventModelUpdate(Blackhole estimates) {
        Row[] change = nextRevision();
        all.remove(change[0]);
        all.add(change[1]);
        byEnd.apply(change[1].entity(), change[1].year(), change[1], all);
        estimates.consume(PanelEstimator.estimate(all, TERMS));
        estimates.consume(byEnd.latestEstimate());
        for (int end : byEnd.drain().changed()) {
            estimates.consume(byEnd.estimate(end));
        }
    }

    /**
     * One event as the model did it before the windows by end year: the revised row replaces the old one in every
     * year's panel and, when its year is in it, in the rolling window's; both are estimated at each event.
     */
    @Benchmark
    public void perEventBeforeWindows(Blackhole estimates) {
        Row[] change = nextRevision();
        all.remove(change[0]);
        all.add(change[1]);
        if (rolling.row(change[0].entity(), change[0].year()).isPresent()) {
            rolling.remove(change[0]);
            rolling.add(change[1]);
        }
        estimates.consume(PanelEstimator.estimate(all, TERMS));
        estimates.consume(PanelEstimator.estimate(rolling, TERMS));
    }

    /**
     * One event: the revised row replaces the old one and both standard errors are recomputed. (The revision is made
     * here rather than in a per-invocation setup, whose timing overhead JMH warns about at this scale.)
     */
    @Benchmark
    public Estimate perEventUpdate() {
        Row revised = new Row(current.entity(), current.year(), current.y() + 0.01 * random.nextGaussian(),
                current.x());
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
