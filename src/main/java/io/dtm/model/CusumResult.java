package io.dtm.model;

import java.util.List;

/**
 * Brown–Durbin–Evans CUSUM of recursive residuals. {@code ratio} is max_r |W_r| / bound_r for the 5% bound; above 1
 * the coefficients are not stable. {@code maxRow} (1-based position among the {@code rows} stacked FOD rows) and
 * {@code maxYear} locate that maximum; {@code initialRows} is the size of the first sample that identifies β (K
 * when its first K rows have full rank). {@code droppedTerms} are term indices without within variation. When
 * {@code status} is not {@link Status#OK}, {@code reason} says why and the numbers other than {@code rows} are 0.
 */
public record CusumResult(Status status, String reason, double ratio, int maxRow, int maxYear, int rows,
        int initialRows, List<Integer> droppedTerms) {

    /** Copies the list. */
    public CusumResult {
        droppedTerms = List.copyOf(droppedTerms);
    }

    static CusumResult failed(Status status, String reason, int rows, List<Integer> droppedTerms) {
        return new CusumResult(status, reason, 0, 0, 0, rows, 0, droppedTerms);
    }
}
