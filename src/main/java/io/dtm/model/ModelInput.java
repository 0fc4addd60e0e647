package io.dtm.model;

import io.dtm.events.Observation;

/**
 * An observation on its way to a model's row assembly: which model, which input (0 = y), for which entity; or its
 * withdrawal ({@code withdrawn}: a tombstone on {@code dtm.observations.v1}), when {@code observation} carries only
 * the series and the period.
 */
record ModelInput(String model, int index, Observation observation, boolean withdrawn) {

    ModelInput(String model, int index, Observation observation) {
        this(model, index, observation, false);
    }
}
