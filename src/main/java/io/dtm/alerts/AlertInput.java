package io.dtm.alerts;

import java.util.Map;

/**
 * A value on its way to the alert it may change (key {@code rule|labels}).
 *
 * @param period the period of an indicator value; {@code null} for model outputs
 * @param value  the value, or {@code null} when an indicator value was withdrawn
 */
record AlertInput(String rule, Map<String, String> labels, String period, Double value, String source,
        String eventId, String vintage) {
}
