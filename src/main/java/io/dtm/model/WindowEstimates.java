package io.dtm.model;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model's rolling estimates by window end year: one {@link PanelAccumulator} per window of {@code width} years,
 * for the end years from that of the first window (beginning at {@link RollingWindow#start}, the earliest year in
 * which at least half of the entities have a row) to the rolling window's end ({@link RollingWindow#end}), the
 * latest {@code maxWindows} of them; at least the rolling window itself. A row change touches only the windows that
 * contain its year, and a window is estimated again only after one of its rows changed. Each window's accumulator
 * holds exactly the rows of its years (its statistics are computed from them, see {@link PanelAccumulator}), so its
 * estimate is the batch estimate of those rows whatever the changes that brought them. Pure; not thread-safe.
 */
public final class WindowEstimates {

    /** Window end years kept per model unless configured ({@code dtm.model.max-windows}). */
    public static final int DEFAULT_MAX_WINDOWS = 20;

    private final int k;
    private final List<String> termNames;
    private final int width;
    private final int maxWindows;
    private final TreeMap<Integer, Window> windows = new TreeMap<>();
    private final SortedSet<Integer> changed = new TreeSet<>();
    private final SortedSet<Integer> removed = new TreeSet<>();
    private Estimate empty;

    /**
     * No window yet.
     *
     * @param termNames  the regressors' names, in row order
     * @param width      years in a window
     * @param maxWindows the most window end years kept (the latest ones)
     */
    public WindowEstimates(List<String> termNames, int width, int maxWindows) {
        if (width < 1 || maxWindows < 1) {
            throw new IllegalArgumentException("width and maxWindows must be positive: " + width + ", " + maxWindows);
        }
        this.k = termNames.size();
        this.termNames = List.copyOf(termNames);
        this.width = width;
        this.maxWindows = maxWindows;
    }

    /**
     * Replaces the row of {@code entity} and {@code year} by {@code after} ({@code null}: no row) in the windows that
     * contain {@code year}, then builds the windows of end years that appear and drops those of end years that go,
     * as {@code all} (which holds the change already) gives them.
     *
     * @return the latest window (the rolling window), empty when there is none
     */
    public Optional<RollingWindow> apply(String entity, int year, Row after, PanelAccumulator all) {
        for (Window w : windows.subMap(year, true, year + width - 1, true).values()) {
            w.panel.row(entity, year).ifPresent(w.panel::remove);
            if (after != null) {
                w.panel.add(after);
            }
            w.estimate = null;
            changed.add(w.years.last());
        }
        return align(all);
    }

    /** Drops every window and builds those of {@code all} again from its rows (at start). */
    public Optional<RollingWindow> rebuild(PanelAccumulator all) {
        removed.addAll(windows.keySet());
        windows.clear();
        changed.clear();
        return align(all);
    }

    private Optional<RollingWindow> align(PanelAccumulator all) {
        OptionalInt end = RollingWindow.end(all.rowsPerYear(), all.entityCount());
        SortedSet<Integer> ends = new TreeSet<>();
        if (end.isPresent()) {
            int last = end.getAsInt();
            int first = Math.max(RollingWindow.start(all.rowsPerYear(), all.entityCount()).getAsInt() + width - 1,
                    last - maxWindows + 1);
            for (int e = Math.min(first, last); e <= last; e++) {
                ends.add(e);
            }
        }
        for (Integer gone : List.copyOf(windows.keySet())) {
            if (!ends.contains(gone)) {
                windows.remove(gone);
                changed.remove(gone);
                removed.add(gone);
            }
        }
        List<Row> rows = null;
        for (int e : ends) {
            if (!windows.containsKey(e)) {
                RollingWindow years = new RollingWindow(e - width + 1, e);
                if (rows == null) {
                    rows = all.rows();
                }
                PanelAccumulator panel = PanelAccumulator.of(k,
                        rows.stream().filter(r -> years.contains(r.year())).toList());
                windows.put(e, new Window(years, panel));
                removed.remove(e);
                changed.add(e);
            }
        }
        return latest();
    }

    /** The latest window (the rolling window), empty when there is none. */
    public Optional<RollingWindow> latest() {
        return windows.isEmpty() ? Optional.empty() : Optional.of(windows.lastEntry().getValue().years);
    }

    /** The estimate of the latest window; when there is none, that of an empty panel (not identified). */
    public Estimate latestEstimate() {
        if (windows.isEmpty()) {
            if (empty == null) {
                empty = PanelEstimator.estimate(new PanelAccumulator(k), termNames);
            }
            return empty;
        }
        return windows.lastEntry().getValue().estimate();
    }

    /** The window end years held, ascending (unmodifiable view). */
    public SortedSet<Integer> ends() {
        return Collections.unmodifiableSortedSet(windows.navigableKeySet());
    }

    /** The years of the window ending in {@code end}. */
    public RollingWindow window(int end) {
        return held(end).years;
    }

    /** The rows held by the window ending in {@code end}, single-row entities included. */
    public int rows(int end) {
        return held(end).panel.size();
    }

    /** The estimate of the window ending in {@code end}, computed again only if a row of it changed since. */
    public Estimate estimate(int end) {
        return held(end).estimate();
    }

    /** The rows of the window ending in {@code end}, by (year, entity). */
    List<Row> rowsOf(int end) {
        return held(end).panel.rows();
    }

    /**
     * The end years of the windows built or whose rows changed since the last call, and of those dropped since
     * (and not built again); both sets are cleared.
     */
    public Changes drain() {
        Changes changes = new Changes(Collections.unmodifiableSortedSet(new TreeSet<>(changed)),
                Collections.unmodifiableSortedSet(new TreeSet<>(removed)));
        changed.clear();
        removed.clear();
        return changes;
    }

    /** What changed in the windows: the end years of the windows to show again, and of those to take away. */
    public record Changes(SortedSet<Integer> changed, SortedSet<Integer> removed) {
    }

    private Window held(int end) {
        Window w = windows.get(end);
        if (w == null) {
            throw new IllegalArgumentException("no window ends in " + end + "; window ends: " + windows.keySet());
        }
        return w;
    }

    /** One window: its years, the accumulator of its rows and its estimate ({@code null} until asked for). */
    private final class Window {
        final RollingWindow years;
        final PanelAccumulator panel;
        Estimate estimate;

        Window(RollingWindow years, PanelAccumulator panel) {
            this.years = years;
            this.panel = panel;
        }

        Estimate estimate() {
            if (estimate == null) {
                estimate = PanelEstimator.estimate(panel, termNames);
            }
            return estimate;
        }
    }
}
