package io.dtm.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One panel observation: entity, year, the dependent value {@code y} and the regressors {@code x} in the model's
 * term order. Values must be finite. The array is copied in and out, and equality compares it by content.
 */
public record Row(String entity, int year, double y, double[] x) {

    /** Validates and copies the regressors. */
    public Row {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(x, "x");
        x = x.clone();
        if (!Double.isFinite(y) || Arrays.stream(x).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("non-finite value in row " + entity + " " + year);
        }
    }

    /** A copy of the regressors. */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** The regressor of term {@code term} (index in the model's term order). */
    public double x(int term) {
        return x[term];
    }

    /** The number of regressors. */
    public int k() {
        return x.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Row r && year == r.year && Double.compare(y, r.y) == 0
                && entity.equals(r.entity) && Arrays.equals(x, r.x);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(entity, year, y) + Arrays.hashCode(x);
    }

    @Override
    public String toString() {
        return "Row[" + entity + ", " + year + ", y=" + y + ", x=" + Arrays.toString(x) + "]";
    }
}
