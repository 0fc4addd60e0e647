package io.dtm.model;

/** Significance state of a term from its p-value: below 0.05, above 0.10, or in between. */
public enum Significance {
    /** p &lt; 0.05. */
    SIGNIFICANT,
    /** 0.05 ≤ p ≤ 0.10. */
    WEAK,
    /** p &gt; 0.10. */
    NOT_SIGNIFICANT;

    /** The state of a p-value. */
    public static Significance of(double p) {
        if (p < 0.05) {
            return SIGNIFICANT;
        }
        return p > 0.10 ? NOT_SIGNIFICANT : WEAK;
    }
}
