package io.dtm.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The rolling estimate of a drivers model for one window end year, as served by
 * {@code /api/v1/models/{model}/windows}: the window of years {@code firstYear} to {@code windowEnd}, estimated with
 * entity fixed effects as the snapshot's {@code rolling} estimate is (the window ending at the latest end year is
 * that estimate).
 *
 * @param rows         the rows in the window, entities with a single row included
 * @param observations N: rows of entities with two or more rows in the window
 * @param entities     E = G: entities with two or more rows in the window (the clusters)
 * @param status       {@code OK} or {@code NOT_IDENTIFIED} (then {@code reason} says why and there are no terms)
 * @param rSquared     within R²; {@code null} when the estimate was not computed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelWindow(int windowEnd, int firstYear, int rows, int observations, int entities, int residualDf,
        String status, String reason, @JsonInclude(JsonInclude.Include.ALWAYS) Double rSquared, List<Term> terms,
        List<String> dropped) {

    /**
     * One term of a window's estimate: the coefficient, its standardised value and significance (from the clustered
     * p), and its classical and clustered inference with the 95 % interval on the t quantile of each type's degrees
     * of freedom (the {@code convention} of each says which).
     */
    public record Term(String term, double coefficient, double standardised, String significance,
            ModelSnapshot.Inference classical, ModelSnapshot.Inference clustered) {
    }
}
