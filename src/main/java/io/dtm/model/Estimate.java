package io.dtm.model;

import java.util.List;
import java.util.Optional;

/**
 * One fixed-effects (within) estimate of a model. {@code observations} (N) and {@code entities} (E = G, the clusters)
 * leave out entities with a single row; {@code residualDf} is N − E − K (≤ 0 when that is why the model is not
 * identified). {@code coefficients} are in term order and hold only the terms kept; {@code droppedTerms} are those
 * without within variation in the sample; {@code ranking} lists the kept terms by |standardised coefficient|, largest
 * first. When {@code status} is not {@link Status#OK}, {@code reason} says why, {@code coefficients} and
 * {@code ranking} are empty and {@code rSquaredWithin} is {@code null} (not computed, never 0); otherwise
 * {@code reason} is empty. No number is NaN.
 */
public record Estimate(Status status, String reason, int observations, int entities, int residualDf,
        Double rSquaredWithin, List<Coefficient> coefficients, List<String> droppedTerms, List<String> ranking) {

    /** Copies the lists. */
    public Estimate {
        coefficients = List.copyOf(coefficients);
        droppedTerms = List.copyOf(droppedTerms);
        ranking = List.copyOf(ranking);
    }

    static Estimate notIdentified(String reason, int observations, int entities, int residualDf,
            List<String> droppedTerms) {
        return new Estimate(Status.NOT_IDENTIFIED, reason, observations, entities, residualDf, null, List.of(),
                droppedTerms, List.of());
    }

    /** The coefficient of {@code term}; empty when the term was dropped or the model is not identified. */
    public Optional<Coefficient> coefficient(String term) {
        return coefficients.stream().filter(c -> c.term().equals(term)).findFirst();
    }
}
