package io.dtm.model;

/**
 * Chow-type break test at {@code breakYear}: the clustered Wald statistic as F = W/q for the tested slopes being
 * equal before and from the break year, its degrees of freedom (q, G − 1), its p-value on them ({@code pValue}) and
 * the wild cluster bootstrap p-value ({@code bootstrapP}, the one to act on with few entities). When {@code status}
 * is not {@link Status#OK}, {@code reason} says why and the numbers are 0 (p-values 1).
 */
public record ChowResult(Status status, String reason, int breakYear, double fStatistic, int numeratorDf,
        int denominatorDf, double pValue, double bootstrapP) {

    static ChowResult failed(Status status, String reason, int breakYear) {
        return new ChowResult(status, reason, breakYear, 0, 0, 0, 1, 1);
    }
}
