package io.dtm.model;

/** Outcome of a model computation; every result that is not {@link #OK} carries a reason and zeros, never NaN. */
public enum Status {
    /** Computed; the numbers are meaningful. */
    OK,
    /** The design does not identify the quantity (collinear terms, no degrees of freedom, no variation). */
    NOT_IDENTIFIED,
    /** Too few rows for the computation (stability tests only). */
    NOT_ENOUGH_DATA
}
