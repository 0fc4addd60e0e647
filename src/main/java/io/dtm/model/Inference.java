package io.dtm.model;

/**
 * Inference on one coefficient under one variance estimator: standard error, t, two-sided p-value and 95% interval,
 * all from a Student t with {@code df} degrees of freedom.
 */
public record Inference(double standardError, double t, double p, double lower95, double upper95, int df) {
}
