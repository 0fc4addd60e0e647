package io.dtm.indicators;

import java.util.OptionalDouble;

/** Indicator formulas of DESIGN §4, as pure functions; empty where the formula is undefined. */
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

    /** Compound annual growth ((v_t / v_{t−n})^(1/n) − 1)·100; empty unless v_{t−n} &gt; 0, v_t ≥ 0, n ≥ 1. */
    public static OptionalDouble cagrPct(double current, double base, int years) {
        if (years < 1 || !(base > 0) || !(current >= 0) || !Double.isFinite(base) || !Double.isFinite(current)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((Math.pow(current / base, 1.0 / years) - 1) * 100);
    }

    /** part / whole ·100; empty unless whole &gt; 0. */
    public static OptionalDouble sharePct(double part, double whole) {
        if (!(whole > 0) || !Double.isFinite(whole) || !Double.isFinite(part)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(part / whole * 100);
    }

    /**
     * Balassa revealed comparative advantage (X_ik / X_i) / (X_wk / X_w): reporter i's share of category k in its
     * exports over the world's; empty unless every total is positive.
     */
    public static OptionalDouble rca(double reporterCategory, double reporterTotal, double worldCategory,
            double worldTotal) {
        if (!(reporterTotal > 0) || !(worldCategory > 0) || !(worldTotal > 0) || !(reporterCategory >= 0)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((reporterCategory / reporterTotal) / (worldCategory / worldTotal));
    }

    /** Openness 1 − restrictiveness, for an index from 0 (open) to 1 (closed). */
    public static double openness(double restrictiveness) {
        return 1 - restrictiveness;
    }
}
