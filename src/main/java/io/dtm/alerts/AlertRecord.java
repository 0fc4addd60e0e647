package io.dtm.alerts;

import java.util.Map;

/**
 * The stored state of one alert (rule, label set).
 *
 * @param since  a period (period rules) or epoch milliseconds as text (wall-clock rules)
 * @param armed  wall-clock rules with {@code armed}: whether the opposite of the condition has been seen
 */
record AlertRecord(String rule, Map<String, String> labels, AlertStatus status, String since, String period,
        double value, Double previousValue, boolean armed, String source, String eventId, String vintage) {
}
