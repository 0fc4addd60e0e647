package io.dtm.alerts;

import java.util.Map;

/**
 * The stored state of one alert (rule, label set).
 *
 * @param since  the period (indicator rules) or release (model rules) the run began at; for missing-release rules,
 *               the instant the next release became due; {@code null} for an inactive alert
 * @param period indicator rules: the latest period; model rules: the release the state was entered at (the one
 *               that fired a firing alert); {@code value}, {@code previousValue} and the provenance are of it
 * @param armed  model rules with {@code armed}: whether the opposite of the condition has been seen
 */
record AlertRecord(String rule, Map<String, String> labels, AlertStatus status, Since since, String period,
        double value, Double previousValue, boolean armed, String source, String eventId, String vintage) {
}
