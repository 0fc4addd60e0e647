package io.dtm.model;

/**
 * Inference on one coefficient under one variance estimator: standard error, t, two-sided p-value and 95% interval
 * β ± t_{0.975, df} · SE, all from a Student t with {@code df} degrees of freedom (N − E − K for the classical
 * estimator, G − 1 for the entity-clustered one): never a normal quantile.
 */
public record Inference(double standardError, double t, double p, double lower95, double upper95, int df) {
}
