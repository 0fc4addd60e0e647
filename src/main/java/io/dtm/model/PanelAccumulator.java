package io.dtm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sufficient statistics of one fixed-effects panel estimate, updated one row at a time. Per entity it keeps the row
 * count, the means and the centred co-moment matrix M2 of z = (x, y) (Welford's update, and its exact reverse on
 * removal); it also keeps the running within cross-product matrix Σ M2 over entities with two or more rows, so an
 * add or a remove costs O(k²) and the result does not depend on arrival order beyond floating-point rounding. The
 * rows themselves are kept too (for removal checks, rolling windows and stability tests). Not thread-safe.
 */
public final class PanelAccumulator {

    private final int k;
    private final Map<String, Group> groups = new TreeMap<>();
    private final TreeMap<Integer, Integer> rowsPerYear = new TreeMap<>();
    private final double[][] within;
    /** Σ_g z² per component, raw (uncentred), over entities with two or more rows. */
    private final double[] rawSquares;
    /**
     * Σ_g M_pr·M_qs over entities with two or more rows, flattened (k+1)^4: what the clustered meat
     * Σ_g s_g s_gᵀ, s_g = M_{·,y} − M_{·,x}β, expands into, so that it costs O(k⁴) per estimate instead of O(G·k²).
     */
    private final double[] fourth;
    private int observations;
    private int multiRowGroups;
    private int size;

    /** An empty accumulator for rows with {@code k} regressors. */
    public PanelAccumulator(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        this.k = k;
        this.within = new double[k + 1][k + 1];
        this.rawSquares = new double[k + 1];
        this.fourth = new double[(k + 1) * (k + 1) * (k + 1) * (k + 1)];
    }

    /** An accumulator holding {@code rows}, all with {@code k} regressors. */
    public static PanelAccumulator of(int k, Collection<Row> rows) {
        PanelAccumulator panel = new PanelAccumulator(k);
        rows.forEach(panel::add);
        return panel;
    }

    /** The number of regressors per row. */
    public int k() {
        return k;
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException when the row does not have {@code k} regressors
     * @throws IllegalStateException when a row of the same entity and year is present (remove it first)
     */
    public void add(Row row) {
        if (row.k() != k) {
            throw new IllegalArgumentException("row has " + row.k() + " regressors, expected " + k);
        }
        Group present = groups.get(row.entity());
        if (present != null && present.rows.containsKey(row.year())) {
            throw new IllegalStateException("a row for " + row.entity() + " " + row.year() + " is present");
        }
        Group group = groups.computeIfAbsent(row.entity(), e -> new Group(k + 1));
        leave(group);
        group.add(z(row));
        group.rows.put(row.year(), row);
        enter(group);
        rowsPerYear.merge(row.year(), 1, Integer::sum);
        size++;
    }

    /**
     * Removes a row that was added (a revision removes the old row and adds the new one).
     *
     * @throws IllegalArgumentException when no equal row is present
     */
    public void remove(Row row) {
        Group group = groups.get(row.entity());
        if (group == null || !row.equals(group.rows.get(row.year()))) {
            throw new IllegalArgumentException("not present: " + row);
        }
        leave(group);
        group.rows.remove(row.year());
        group.remove(z(row), group.rows.values());
        enter(group);
        if (group.n == 0) {
            groups.remove(row.entity());
        }
        rowsPerYear.computeIfPresent(row.year(), (year, count) -> count == 1 ? null : count - 1);
        size--;
    }

    /** Removes every row of {@code year} (a year leaving a rolling window) and returns them in entity order. */
    public List<Row> removeYear(int year) {
        List<Row> removed = new ArrayList<>();
        for (Group group : groups.values()) {
            Row row = group.rows.get(year);
            if (row != null) {
                removed.add(row);
            }
        }
        removed.forEach(this::remove);
        return removed;
    }

    /** The number of rows held, single-row entities included. */
    public int size() {
        return size;
    }

    /** The number of entities with at least one row. */
    public int entityCount() {
        return groups.size();
    }

    /** The number of rows per year (unmodifiable view, ascending years). */
    public SortedMap<Integer, Integer> rowsPerYear() {
        return Collections.unmodifiableSortedMap(rowsPerYear);
    }

    /** The rows held, ordered by (year, entity). */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>(size);
        groups.values().forEach(g -> rows.addAll(g.rows.values()));
        rows.sort(Comparator.comparingInt(Row::year).thenComparing(Row::entity));
        return rows;
    }

    /** N: rows of entities with two or more rows. */
    int observations() {
        return observations;
    }

    /** E = G: entities with two or more rows. */
    int groupCount() {
        return multiRowGroups;
    }

    /** Σ M2 over entities with two or more rows, (k+1)×(k+1) with y last; a copy. */
    double[][] within() {
        double[][] copy = new double[k + 1][];
        for (int i = 0; i <= k; i++) {
            copy[i] = within[i].clone();
        }
        return copy;
    }

    private void addMoments(int sign, Group group) {
        int d = k + 1;
        double[][] m = group.m2;
        for (int j = 0; j < d; j++) {
            rawSquares[j] += sign * (m[j][j] + group.n * group.mean[j] * group.mean[j]);
        }
        int i = 0;
        for (int p = 0; p < d; p++) {
            for (int r = 0; r < d; r++) {
                double mpr = sign * m[p][r];
                for (int q = 0; q < d; q++) {
                    double[] mq = m[q];
                    for (int t = 0; t < d; t++) {
                        fourth[i++] += mpr * mq[t];
                    }
                }
            }
        }
    }

    /** Σ_g z² per component, raw, over entities with two or more rows; a copy. */
    double[] rawSquares() {
        return rawSquares.clone();
    }

    /** Σ_g M_pr·M_qs over entities with two or more rows (indices 0..k, y last). */
    double fourth(int p, int r, int q, int s) {
        int d = k + 1;
        return fourth[((p * d + r) * d + q) * d + s];
    }

    /** The per-entity statistics, entities with a single row included (their M2 is zero); read only. */
    Collection<Group> groups() {
        return groups.values();
    }

    private double[] z(Row row) {
        double[] z = new double[k + 1];
        for (int j = 0; j < k; j++) {
            z[j] = row.x(j);
        }
        z[k] = row.y();
        return z;
    }

    private void leave(Group group) {
        if (group.n >= 2) {
            addScaled(-1, group.m2);
            addMoments(-1, group);
            observations -= group.n;
            multiRowGroups--;
        }
    }

    private void enter(Group group) {
        if (group.n >= 2) {
            addScaled(1, group.m2);
            addMoments(1, group);
            observations += group.n;
            multiRowGroups++;
        }
    }

    private void addScaled(double sign, double[][] m2) {
        for (int a = 0; a <= k; a++) {
            for (int b = 0; b <= a; b++) {
                within[a][b] += sign * m2[a][b];
                within[b][a] = within[a][b];
            }
        }
    }

    /** Statistics of one entity: n, means and centred co-moments of z = (x, y), and its rows by year. */
    static final class Group {

        private final TreeMap<Integer, Row> rows = new TreeMap<>();
        private final double[] mean;
        private final double[][] m2;
        private int n;

        private Group(int dim) {
            mean = new double[dim];
            m2 = new double[dim][dim];
        }

        int n() {
            return n;
        }

        /** Mean of z component {@code i}. */
        double mean(int i) {
            return mean[i];
        }

        /** Centred co-moment Σ (z_a − z̄_a)(z_b − z̄_b). */
        double m2(int a, int b) {
            return m2[a][b];
        }

        private void add(double[] z) {
            n++;
            double weight = (n - 1) / (double) n;
            double[] d = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                d[i] = z[i] - mean[i];
                mean[i] += d[i] / n;
            }
            update(weight, d);
        }

        /** Reverse of {@link #add}; {@code remaining} are the rows left after the removal. */
        private void remove(double[] z, Collection<Row> remaining) {
            n--;
            if (n <= 1) {
                for (double[] row : m2) {
                    Arrays.fill(row, 0);
                }
                Arrays.fill(mean, 0);
                remaining.forEach(r -> {
                    for (int i = 0; i < mean.length - 1; i++) {
                        mean[i] = r.x(i);
                    }
                    mean[mean.length - 1] = r.y();
                });
                return;
            }
            double[] d = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                d[i] = z[i] - mean[i];
                mean[i] -= d[i] / n;
            }
            update(-(n + 1) / (double) n, d);
        }

        private void update(double weight, double[] d) {
            for (int a = 0; a < d.length; a++) {
                for (int b = 0; b <= a; b++) {
                    m2[a][b] += weight * d[a] * d[b];
                    m2[b][a] = m2[a][b];
                }
            }
        }
    }
}
