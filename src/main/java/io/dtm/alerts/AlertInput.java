package io.dtm.alerts;

import java.util.Map;

/**
 * A value on its way to the alert it may change (key {@code rule|labels}), with the version of the rule that
 * matched it.
 *
 * @param period      the period of an indicator value, the release of a model output
 * @param value       the value, or {@code null} when it was withdrawn
 * @param ruleVersion the rule as the matcher had it; a deleted one ends the alert
 */
record AlertInput(String rule, Map<String, String> labels, String period, Double value, String source,
        String eventId, String vintage, RuleVersion ruleVersion) {

    /** This input matched by {@code version} of its rule. */
    AlertInput by(RuleVersion version) {
        return new AlertInput(rule, labels, period, value, source, eventId, vintage, version);
    }
}
