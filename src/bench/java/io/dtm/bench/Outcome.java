package io.dtm.bench;

import java.util.List;

/**
 * What one phase gave: its measurement, its rate from the RUNNING state on (Kafka Streams phases; NaN for the
 * others) and its lines of the report's details.
 */
record Outcome(Measurement measurement, double rateWhenRunning, List<String> details) {

    /** A phase with no Kafka Streams start-up. */
    static Outcome of(Measurement measurement, String... details) {
        return new Outcome(measurement, Double.NaN, List.of(details));
    }
}
