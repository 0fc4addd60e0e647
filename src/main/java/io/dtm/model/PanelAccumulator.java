package io.dtm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sufficient statistics of one fixed-effects panel estimate, kept per entity. Each entity keeps its rows and, computed
 * again from them whenever one of them changes, its row count, the means and the centred co-moment matrix M2 of
 * z = (x, y) (two passes over the entity's rows in year order): an add or a remove costs O(n_i·k²) for the entity's
 * n_i rows, and nothing is carried over from one update to the next. The totals over entities (the within
 * cross-product matrix Σ M2 and the raw sums of squares) are summed again from the entities, in entity order, the
 * first time they are asked for after a change. So every number this accumulator gives is a function of the rows it
 * holds, whatever the order and number of adds and removes that brought them (no running sum that drifts). Not
 * thread-safe.
 */
public final class PanelAccumulator {

    private final int k;
    private final Map<String, Group> groups = new TreeMap<>();
    private final TreeMap<Integer, Integer> rowsPerYear = new TreeMap<>();
    private int observations;
    private int multiRowGroups;
    private int size;
    /** Σ M2 and Σ z² over entities with two or more rows; {@code null} when a row changed since they were summed. */
    private Totals totals;

    /** An empty accumulator for rows with {@code k} regressors. */
    public PanelAccumulator(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        this.k = k;
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
        group.rows.put(row.year(), row);
        group.recompute();
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
        group.recompute();
        enter(group);
        if (group.n == 0) {
            groups.remove(row.entity());
        }
        rowsPerYear.computeIfPresent(row.year(), (year, count) -> count == 1 ? null : count - 1);
        size--;
    }

    /** The row held for {@code entity} and {@code year}, if any. */
    public Optional<Row> row(String entity, int year) {
        Group group = groups.get(entity);
        return group == null ? Optional.empty() : Optional.ofNullable(group.rows.get(year));
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
        double[][] within = totals().within;
        double[][] copy = new double[k + 1][];
        for (int i = 0; i <= k; i++) {
            copy[i] = within[i].clone();
        }
        return copy;
    }

    /** Σ_g z² per component, raw (uncentred), over entities with two or more rows; a copy. */
    double[] rawSquares() {
        return totals().rawSquares.clone();
    }

    /** The per-entity statistics in entity order, entities with a single row included (their M2 is zero); read only. */
    Collection<Group> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    private Totals totals() {
        if (totals == null) {
            int d = k + 1;
            double[][] within = new double[d][d];
            double[] raw = new double[d];
            for (Group group : groups.values()) {
                if (group.n < 2) {
                    continue;
                }
                for (int a = 0; a < d; a++) {
                    raw[a] += group.m2[a][a] + group.n * group.mean[a] * group.mean[a];
                    for (int b = 0; b < d; b++) {
                        within[a][b] += group.m2[a][b];
                    }
                }
            }
            totals = new Totals(within, raw);
        }
        return totals;
    }

    private void leave(Group group) {
        totals = null;
        if (group.n >= 2) {
            observations -= group.n;
            multiRowGroups--;
        }
    }

    private void enter(Group group) {
        if (group.n >= 2) {
            observations += group.n;
            multiRowGroups++;
        }
    }

    private record Totals(double[][] within, double[] rawSquares) {
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

        /**
         * The statistics of the rows held, from scratch: the mean (corrected by the mean of the deviations from it),
         * then the co-moments of the deviations.
         */
        private void recompute() {
            int d = mean.length;
            n = rows.size();
            Arrays.fill(mean, 0);
            for (double[] row : m2) {
                Arrays.fill(row, 0);
            }
            if (n == 0) {
                return;
            }
            double[][] z = new double[n][];
            int i = 0;
            for (Row row : rows.values()) {
                double[] zi = new double[d];
                for (int j = 0; j < d - 1; j++) {
                    zi[j] = row.x(j);
                }
                zi[d - 1] = row.y();
                z[i++] = zi;
                for (int j = 0; j < d; j++) {
                    mean[j] += zi[j];
                }
            }
            double[] correction = new double[d];
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            for (double[] zi : z) {
                for (int j = 0; j < d; j++) {
                    correction[j] += zi[j] - mean[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] += correction[j] / n;
            }
            if (n < 2) {
                return;
            }
            double[] dev = new double[d];
            for (double[] zi : z) {
                for (int j = 0; j < d; j++) {
                    dev[j] = zi[j] - mean[j];
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b <= a; b++) {
                        m2[a][b] += dev[a] * dev[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < a; b++) {
                    m2[b][a] = m2[a][b];
                }
            }
        }
    }
}
