package io.dtm.model;

import java.util.List;
import java.util.Optional;

/**
 * The driver-shift test of a model: per term and jointly, whether the slopes over the rolling {@code window} differ
 * from those over the years before it ({@code firstYear} to the year before the window). When {@code status} is
 * not {@link Status#OK}, {@code reason} says why and there are no terms and no joint test; when it is OK,
 * {@code joint} may still be absent (then {@code reason} says why). {@code untested} are terms whose difference is
 * not identified (no within variation in a part, or collinear with the rest of the design). Nothing is NaN.
 */
public record ShiftResult(Status status, String reason, Integer firstYear, RollingWindow window, int observations,
        int entities, List<TermShift> terms, List<String> untested, Joint joint) {

    /** Copies the lists. */
    public ShiftResult {
        terms = List.copyOf(terms);
        untested = List.copyOf(untested);
    }

    /**
     * One term: its slope before the window and over it, the difference, its entity-clustered standard error, t,
     * the two-sided p-value of t on {@code df} = G − 1 ({@code p}) and the wild cluster bootstrap p-value of |t|
     * ({@code bootstrapP}, the one to act on: with few entities the t(G − 1) p-value is too small).
     */
    public record TermShift(String term, double before, double window, double difference, double standardError,
            double t, double p, double bootstrapP, int df) {
    }

    /**
     * The joint Wald test of every term in {@code terms}: F = W/q, its p-value on (q, G − 1) and the wild cluster
     * bootstrap p-value of W (the one to act on).
     */
    public record Joint(double f, int numeratorDf, int denominatorDf, double p, double bootstrapP) {
    }

    static ShiftResult failed(Status status, String reason, Integer firstYear, RollingWindow window,
            int observations, int entities) {
        return new ShiftResult(status, reason, firstYear, window, observations, entities, List.of(), List.of(), null);
    }

    /** The joint test, when it was computed. */
    public Optional<Joint> jointTest() {
        return Optional.ofNullable(joint);
    }
}
