package io.dtm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Seeded synthetic panels shaped like the drivers model (trending levels, a 0/1 RCEP step, gaps). */
final class Panels {

    static final List<String> TERMS = List.of("ln_gdp", "openness", "infra", "ln_ict_lag", "ln_compute", "rcep");
    static final int[] ALL_TERMS = {0, 1, 2, 3, 4, 5};
    static final int K = TERMS.size();
    static final int FIRST_YEAR = 2000;
    static final int LAST_YEAR = 2023;

    private static final double[] BETA = {0.9, 1.5, 2.0, 0.3, 0.1, 0.2};
    private static final double[] LEVEL = {25, 0.6, 0.5, 20, 3};
    private static final double[] LEVEL_SPREAD = {2, 0.1, 0.2, 2, 1};
    private static final double[] TREND = {0.03, 0.005, 0.02, 0.05, 0.2};
    private static final double[] NOISE = {0.05, 0.03, 0.03, 0.1, 0.3};
    private static final double ERROR_SD = 0.2;

    private Panels() {
    }

    /** 15 entities with 8–20 consecutive years each (inner years missing at random) and one single-row entity. */
    static List<Row> random(long seed) {
        return generate(seed, 15, 8, 20, LAST_YEAR + 1, new double[K]);
    }

    /**
     * {@code entities} entities with {@code minYears}–{@code maxYears} years inside 2000–2023, inner years missing
     * with probability 0.15, plus one single-row entity; from {@code breakYear} on the slopes are β + shift.
     */
    static List<Row> generate(long seed, int entities, int minYears, int maxYears, int breakYear, double[] shift) {
        Random rnd = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            double alpha = 3 * rnd.nextGaussian();
            int span = minYears + rnd.nextInt(maxYears - minYears + 1);
            int start = FIRST_YEAR + rnd.nextInt(LAST_YEAR - FIRST_YEAR + 2 - span);
            int rcepYear = start + rnd.nextInt(span + 4);
            double[] level = new double[K - 1];
            double[] trend = new double[K - 1];
            for (int j = 0; j < K - 1; j++) {
                level[j] = LEVEL[j] + LEVEL_SPREAD[j] * rnd.nextGaussian();
                trend[j] = TREND[j] * (1 + 0.5 * rnd.nextGaussian());
            }
            for (int t = start; t < start + span; t++) {
                boolean inner = t > start && t < start + span - 1;
                if (inner && rnd.nextDouble() < 0.15) {
                    continue;
                }
                double[] x = new double[K];
                for (int j = 0; j < K - 1; j++) {
                    x[j] = level[j] + trend[j] * (t - start) + NOISE[j] * rnd.nextGaussian();
                }
                x[K - 1] = t >= rcepYear ? 1 : 0;
                double y = alpha + ERROR_SD * rnd.nextGaussian();
                for (int j = 0; j < K; j++) {
                    y += (BETA[j] + (t >= breakYear ? shift[j] : 0)) * x[j];
                }
                rows.add(new Row(String.format("E%02d", e), t, y, x));
            }
        }
        double[] lone = new double[K];
        for (int j = 0; j < K; j++) {
            lone[j] = 100 * rnd.nextGaussian();
        }
        rows.add(new Row("SOLO", 2010, 1e6 * rnd.nextGaussian(), lone));
        return rows;
    }

    /** The indices of the terms whose value changes within at least one entity. */
    static int[] varyingWithinEntities(List<Row> rows) {
        Map<String, List<Row>> byEntity = rows.stream().collect(Collectors.groupingBy(Row::entity));
        return IntStream.range(0, K).filter(j -> byEntity.values().stream()
                .anyMatch(list -> list.stream().mapToDouble(r -> r.x(j)).distinct().count() > 1)).toArray();
    }

    /** The same row with column {@code term} replaced by {@code value}. */
    static Row withTerm(Row row, int term, double value) {
        double[] x = row.x();
        x[term] = value;
        return new Row(row.entity(), row.year(), row.y(), x);
    }
}
