package io.dtm.indicators;

import java.util.OptionalDouble;

/** Indicator formulas of DESIGN §4, as pure functions. */
public final class Formulas {

    private Formulas() {
    }

    /** Year-on-year growth (v_t / v_{t−1} − 1)·100; empty when the earlier value is not positive. */
    public static OptionalDouble yoyGrowthPct(double current, double previous) {
        if (!(previous > 0) || !Double.isFinite(previous) || !Double.isFinite(current)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((current / previous - 1) * 100);
    }
}
