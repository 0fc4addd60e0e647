package io.dtm.model;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * A rolling estimation window of years [first, last]. Its end is the latest year in which at least half of the
 * entities have a row, so that one early row does not move the window for everyone.
 */
public record RollingWindow(int first, int last) {

    /** Validates the bounds. */
    public RollingWindow {
        if (first > last) {
            throw new IllegalArgumentException("empty window " + first + ".." + last);
        }
    }

    /**
     * The latest year in which at least half of {@code entityCount} entities have a row; empty when there is none.
     *
     * @param rowsByYear the number of rows (one per entity) in each year
     */
    public static OptionalInt end(Map<Integer, Integer> rowsByYear, int entityCount) {
        return denseYears(rowsByYear, entityCount).max();
    }

    /**
     * The earliest year in which at least half of {@code entityCount} entities have a row; empty when there is none.
     * The windows by end year start with the window that begins there.
     *
     * @param rowsByYear the number of rows (one per entity) in each year
     */
    public static OptionalInt start(Map<Integer, Integer> rowsByYear, int entityCount) {
        return denseYears(rowsByYear, entityCount).min();
    }

    private static IntStream denseYears(Map<Integer, Integer> rowsByYear, int entityCount) {
        return rowsByYear.entrySet().stream()
                .filter(e -> entityCount > 0 && 2L * e.getValue() >= entityCount)
                .mapToInt(Map.Entry::getKey);
    }

    /** The window of {@code width} years ending at {@link #end}; empty when there is no end. */
    public static Optional<RollingWindow> of(Map<Integer, Integer> rowsByYear, int entityCount, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive: " + width);
        }
        OptionalInt end = end(rowsByYear, entityCount);
        return end.isPresent() ? Optional.of(new RollingWindow(end.getAsInt() - width + 1, end.getAsInt()))
                : Optional.empty();
    }

    /** Whether {@code year} is inside the window. */
    public boolean contains(int year) {
        return year >= first && year <= last;
    }
}
