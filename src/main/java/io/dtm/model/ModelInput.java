package io.dtm.model;

import io.dtm.events.Observation;

/** An observation on its way to a model's row assembly: which model, which input (0 = y), for which entity. */
record ModelInput(String model, int index, Observation observation) {
}
