package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dtm.api.Problems;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * A threshold on a model output, evaluated by release on the model's estimate as of each vintage
 * ({@link PeriodEvaluation} over the releases, {@link DurationEvaluation} for {@code forDuration}). Nothing of it is
 * on the wall clock.
 *
 * @param measure     {@code p_value} (clustered), {@code coefficient}, {@code stability_ratio}, {@code shift_p_value}
 *                    (driver-shift test, bootstrap p; {@code terms} default to {@code joint}) or {@code chow_p_value}
 *                    (clustered break test at the model's break year, bootstrap p)
 * @param armed       only after the opposite of the condition was seen (e.g. p below the clear threshold before it
 *                    may fire above the threshold: a significance flip)
 * @param forPeriods  consecutive releases that fire
 * @param forDuration how long apart the release dates of a run's first and firing releases must be
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonTypeInfo(use = JsonTypeInfo.Id.NONE)
public record ModelThreshold(String id, String source, String severity, String description, String scope,
        String model, String estimate, List<String> terms, String measure, Boolean armed, String op,
        Double threshold, Double clear, Integer forPeriods, String forDuration)
        implements AlertRule, AlertRule.Threshold {

    static final String SOURCE = "model";
    private static final Set<String> MEASURES = Set.of("p_value", "coefficient", "stability_ratio",
            "shift_p_value", "chow_p_value");

    @Override
    public List<String> problems() {
        List<String> bad = Checks.common(this, SOURCE);
        Bounds.name(bad, "model", model, Bounds.MAX_NAME);
        if (Bounds.entries(bad, "terms", terms, Bounds.MAX_ENTRIES)) {
            for (int i = 0; terms != null && i < terms.size(); i++) {
                Bounds.name(bad, "terms[" + i + "]", terms.get(i), Bounds.MAX_NAME);
            }
        }
        if (model == null) {
            bad.add("model: required for a model rule");
        }
        if (measure == null || !MEASURES.contains(measure)) {
            bad.add("measure: p_value, coefficient, stability_ratio, shift_p_value or chow_p_value; was "
                    + Problems.echo(measure));
        } else if (Set.of("p_value", "coefficient").contains(measure) && (terms == null || terms.isEmpty())) {
            bad.add("terms: required for a p_value or coefficient rule");
        }
        if (estimate != null && !Set.of("all", "rolling").contains(estimate)) {
            bad.add("estimate: all or rolling; was " + Problems.echo(estimate));
        }
        Checks.threshold(bad, this, forPeriods);
        if (forDuration != null) {
            try {
                Duration duration = Duration.parse(forDuration);
                if (duration.isNegative() || duration.compareTo(Bounds.MAX_DURATION) > 0) {
                    bad.add("forDuration: from PT0S to ten years (" + Bounds.MAX_DURATION + "); was "
                            + Problems.echo(forDuration));
                }
            } catch (DateTimeParseException e) {
                bad.add("forDuration: an ISO-8601 duration such as PT10M; was " + Problems.echo(forDuration));
            }
        }
        return bad;
    }

    /**
     * The state machine over the model's releases (the inputs' periods are the releases' vintages). The record is
     * that of the release the state was entered at (the release that fired a firing alert, with its value, the value
     * of the release before it and its provenance), so that it depends on the releases and not on which of them had
     * arrived when the state was entered. Time alone changes nothing.
     */
    @Override
    public AlertRecord next(AlertRecord state, AlertHistory history, Instant now) {
        if (history.arrived() == null) {
            return state;
        }
        if (history.inputs().isEmpty()) {
            return null;
        }
        NavigableMap<String, Double> values = history.values();
        Condition condition = condition();
        boolean isArmed = Boolean.TRUE.equals(armed);
        PeriodEvaluation.State s = PeriodEvaluation.evaluate(condition, forPeriods == null ? 1 : forPeriods, isArmed,
                forDuration == null ? Duration.ZERO : Duration.parse(forDuration), values);
        Map.Entry<String, Double> previous = values.lowerEntry(s.entered());
        AlertInput at = history.inputs().get(s.entered());
        return new AlertRecord(id, at.labels(), s.status(), Since.period(s.since()), s.entered(), at.value(),
                previous == null ? null : previous.getValue(),
                !isArmed || values.values().stream().anyMatch(v -> !condition.holds(v)), at.source(), at.eventId(),
                at.vintage());
    }
}
