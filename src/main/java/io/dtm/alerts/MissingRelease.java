package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dtm.api.Problems;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A missing release of the series of an indicator selection: the alert fires when the period after the latest one
 * received is overdue on its publication calendar ({@link ReleaseCalendar}); a release of that period resolves it.
 *
 * @param due how long after a period ends its release is expected (ISO-8601 period such as {@code P10M})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonTypeInfo(use = JsonTypeInfo.Id.NONE)
public record MissingRelease(String id, String source, String severity, String description, String scope,
        String indicator, String entry, String reporter, String partner, String flow, String category, String due)
        implements AlertRule, AlertRule.OnIndicators {

    static final String SOURCE = "release";

    @Override
    public List<String> problems() {
        List<String> bad = Checks.common(this, SOURCE);
        Checks.selection(bad, this);
        if (due == null) {
            bad.add("due: required for a release rule, an ISO-8601 period such as P10M");
            return bad;
        }
        try {
            Period lag = Period.parse(due);
            Duration length = ChronoUnit.MONTHS.getDuration().multipliedBy(lag.toTotalMonths())
                    .plusDays(lag.getDays());
            if (lag.isNegative() || lag.isZero() || length.compareTo(Bounds.MAX_DURATION) > 0) {
                bad.add("due: more than P0D, at most ten years (P10Y), no negative part; was " + Problems.echo(due));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            bad.add("due: an ISO-8601 period such as P10M or P45D; was " + Problems.echo(due));
        }
        return bad;
    }

    /**
     * Firing while the period after the latest one received is overdue ({@code since} = when it became due); as
     * time passes, an alert that was not yet due fires once it is.
     */
    @Override
    public AlertRecord next(AlertRecord state, AlertHistory history, Instant now) {
        AlertInput in = history.arrived();
        if (in == null) {
            if (state == null || state.status() == AlertStatus.FIRING
                    || !(state.since() instanceof Since.AtInstant due) || !due.reached(now)) {
                return state;
            }
            return released(state.labels(), state.period(), state.value(), state.previousValue(), state.source(),
                    state.eventId(), state.vintage(), now);
        }
        NavigableMap<String, Double> values = history.values();
        if (values.isEmpty()) {
            return null;
        }
        Map.Entry<String, Double> latest = values.lastEntry();
        Map.Entry<String, Double> previous = values.lowerEntry(latest.getKey());
        boolean fresh = latest.getKey().equals(in.period()) || state == null;
        return released(in.labels(), latest.getKey(), latest.getValue(),
                previous == null ? null : previous.getValue(), fresh ? in.source() : state.source(),
                fresh ? in.eventId() : state.eventId(), fresh ? in.vintage() : state.vintage(), now);
    }

    private AlertRecord released(Map<String, String> labels, String latest, double value, Double previousValue,
            String source, String eventId, String vintage, Instant now) {
        long dueAt = ReleaseCalendar.due(latest, Period.parse(due)).map(Instant::toEpochMilli)
                .orElse(Long.MAX_VALUE);
        AlertStatus status = now.toEpochMilli() >= dueAt ? AlertStatus.FIRING : AlertStatus.INACTIVE;
        return new AlertRecord(id, labels, status, new Since.AtInstant(dueAt), latest, value, previousValue, false,
                source, eventId, vintage);
    }
}
