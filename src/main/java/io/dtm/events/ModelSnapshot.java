package io.dtm.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One state of a drivers model, as carried on {@code dtm.model.v1} and served by {@code /api/v1/models}: both
 * estimates ({@code all} and {@code rolling}), the event that caused it and the change of each coefficient it
 * caused, and the latest stability tests.
 *
 * @param seq        the snapshot's number within its model, from 1
 * @param computedAt epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSnapshot(String model, long seq, long computedAt, Trigger trigger, List<Estimate> estimates,
        Stability stability) {

    /**
     * The event behind this snapshot, and the panel row it changed.
     *
     * @param id     the event's id; an imported figure's names its import: {@code <dataset>/<series>/<period>/<vintage>}
     *               (and {@code /derived-from-<vintage>} for a file cut from a later release)
     * @param series the series of the observation that changed the row ({@code feed|reporter|partner|flow|category});
     *               {@code null} in snapshots written before it was named
     */
    public record Trigger(String source, String id, String vintage, String entity, int year, String series) {

        /** A trigger that does not name its series. */
        public Trigger(String source, String id, String vintage, String entity, int year) {
            this(source, id, vintage, entity, year, null);
        }
    }

    /**
     * One estimate.
     *
     * @param estimate {@code all} or {@code rolling}
     * @param status   {@code OK}, {@code NOT_IDENTIFIED} or {@code NOT_ENOUGH_DATA} (then {@code reason} says why and
     *                 there are no terms)
     * @param rSquared within R²; {@code null} when the estimate was not computed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Estimate(String estimate, String status, String reason, Integer firstYear, Integer lastYear,
            int observations, int entities, int residualDf, @JsonInclude(JsonInclude.Include.ALWAYS) Double rSquared,
            List<Term> terms, List<String> dropped, List<String> ranking) {
    }

    /**
     * One term of an estimate.
     *
     * @param change       the change of the coefficient the triggering event caused; {@code null} when there is no
     *                     previous coefficient (the model's first estimate, or the term was not in the previous one)
     * @param standardised β · sd(x̃) / sd(ỹ) on within-transformed data; the ranking orders terms by its size
     * @param significance {@code SIGNIFICANT} (clustered p &lt; 0.05), {@code WEAK} or {@code NOT_SIGNIFICANT} (p &gt; 0.10)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Term(String term, double coefficient, Double change, double standardised, String significance,
            Inference classical, Inference clustered) {
    }

    /**
     * Standard error, t, two-sided p and 95% interval (β ± t_{0.975, df} · SE) on {@code df} degrees of freedom.
     *
     * @param convention the variance estimator and reference distribution: {@code classical} is σ²(X̃ᵀX̃)⁻¹ with
     *                   σ² = RSS / (N − E − K) and t on N − E − K; {@code clustered} is CR1 by entity, R plm's
     *                   {@code vcovHC(method = "arellano", type = "sss", cluster = "group")}, with t on G − 1
     */
    public record Inference(double standardError, double t, double p, double lower95, double upper95, int df,
            String convention) {
    }

    /**
     * The stability tests of the {@code all} estimate.
     *
     * @param ratio          max |W_r| / bound_r of the CUSUM (&gt; 1: not stable); {@code null} unless {@code status}
     *                       is OK
     * @param chowF          the entity-clustered Wald statistic / q of a break at {@code breakYear}; {@code chowP}
     *                       its p-value on (q, G − 1), {@code chowBootstrapP} the wild cluster bootstrap one
     * @param shift          the driver-shift test of the rolling window against the years before it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stability(String status, String reason, @JsonInclude(JsonInclude.Include.ALWAYS) Double ratio,
            Integer maxYear, int breakYear, Double chowF, Double chowP, String chowStatus, Double chowBootstrapP,
            Shift shift) {
    }

    /**
     * The driver-shift test: per term and jointly, the slope over the rolling window ({@code windowFirst} to
     * {@code windowLast}) against the slope over the years before it (from {@code firstYear}), entity fixed
     * effects, entity-clustered covariance (plm arellano, "sss"). {@code status} {@code OK} or why not
     * ({@code reason}); {@code joint} is absent when it could not be computed; {@code untested} terms have no
     * identified difference.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Shift(String status, String reason, Integer firstYear, Integer windowFirst, Integer windowLast,
            int observations, int entities, List<ShiftTerm> terms, List<String> untested, ShiftJoint joint) {
    }

    /**
     * One term of the driver-shift test: slopes before and over the window, their difference with its clustered
     * standard error and t, the p-value of t on {@code df} = G − 1 and the wild cluster bootstrap p-value (the one
     * exported and alerted on).
     */
    public record ShiftTerm(String term, double before, double window, double difference, double standardError,
            double t, double p, double bootstrapP, int df) {
    }

    /** The joint driver-shift test: F = W/q on (q, G − 1), its p-value, and the wild cluster bootstrap p-value. */
    public record ShiftJoint(double f, int numeratorDf, int denominatorDf, double p, double bootstrapP) {
    }
}
