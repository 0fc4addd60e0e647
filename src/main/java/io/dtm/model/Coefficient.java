package io.dtm.model;

/**
 * One estimated slope. {@code classical} uses σ² = RSS / (N − E − K); {@code clustered} is entity-clustered (CR1).
 * {@code standardised} is β · sd(x̃) / sd(ỹ) on within-transformed data; {@code significance} is taken from the
 * clustered p-value (the conservative choice for panels with serially correlated errors).
 */
public record Coefficient(String term, double estimate, Inference classical, Inference clustered,
        double standardised, Significance significance) {
}
