package io.dtm.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One transition of an alert (rule, label set), as carried on {@code dtm.alerts.v1}: the new status
 * ({@code pending}, {@code firing}, {@code resolved}, or {@code inactive} when a pending alert does not fire),
 * with its provenance.
 *
 * @param key       the alert: {@code rule|labels}, the Kafka key
 * @param id        the transition's stable id (the same when the transition is computed again), the basis of the
 *                  notifications' idempotency keys
 * @param since     when the current run began: a period, or epoch milliseconds for wall-clock rules
 * @param period    the period evaluated last (period rules)
 * @param previousValue the value before this one, where there was one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertTransition(String key, String id, String rule, String severity, String scope, String description,
        Map<String, String> labels, String from, String status, String since, String period, double value,
        Double previousValue, long at, String source, String eventId, String vintage) {
}
