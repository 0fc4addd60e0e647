package io.dtm.model;

/**
 * Chow-type break test at {@code breakYear}: F statistic for the tested slopes being equal before and from the break
 * year, with its degrees of freedom and p-value. When {@code status} is not {@link Status#OK}, {@code reason} says
 * why and the numbers are 0 ({@code pValue} 1).
 */
public record ChowResult(Status status, String reason, int breakYear, double fStatistic, int numeratorDf,
        int denominatorDf, double pValue) {

    static ChowResult failed(Status status, String reason, int breakYear) {
        return new ChowResult(status, reason, breakYear, 0, 0, 0, 1);
    }
}
