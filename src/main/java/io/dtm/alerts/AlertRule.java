package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dtm.events.IndicatorValue;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An alert rule (DESIGN §7): a threshold with a clear threshold and a {@code for}, on an indicator selection
 * (evaluated by period) or on a model output (evaluated on wall-clock time); or a missing release of the series
 * of an indicator selection (evaluated on wall-clock time against its publication calendar).
 *
 * @param source     {@code indicator}, {@code model} or {@code release}
 * @param transform  indicator rules: {@code value}, {@code abs} (|value|) or {@code change} (value − the previous
 *                   period's value)
 * @param measure    model rules: {@code p_value} (clustered), {@code coefficient} or {@code stability_ratio}
 * @param armed      model rules: only after the opposite of the condition was seen (e.g. p below the clear
 *                   threshold before it may fire above the threshold: a significance flip)
 * @param scope      {@code region} or {@code country}: Alertmanager inhibits country alerts while a region one fires
 * @param due        release rules: how long after a period ends its release is expected (ISO-8601 period such as
 *                   {@code P10M}); the alert fires when the period after the latest one received is overdue
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRule(String id, String source, String severity, String description, String scope,
        String indicator, String entry, String reporter, String partner, String flow, String category,
        String transform, String model, String estimate, List<String> terms, String measure, Boolean armed,
        String op, Double threshold, Double clear, Integer forPeriods, String forDuration, String due) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    /** The condition, with the clear threshold defaulting to the threshold. */
    public Condition condition() {
        return new Condition(Condition.Op.of(op), threshold, clear == null ? threshold : clear);
    }

    public int periods() {
        return forPeriods == null ? 1 : forPeriods;
    }

    public long forMillis() {
        return forDuration == null ? 0 : Duration.parse(forDuration).toMillis();
    }

    public boolean onIndicators() {
        return "indicator".equals(source);
    }

    public boolean onReleases() {
        return "release".equals(source);
    }

    /** Whether the rule reads indicator values (threshold and missing-release rules). */
    public boolean readsIndicators() {
        return onIndicators() || onReleases();
    }

    /** The publication lag of a release rule. */
    public java.time.Period releaseLag() {
        return java.time.Period.parse(due);
    }

    /** Whether an indicator value is in this rule's selection. */
    public boolean selects(IndicatorValue v) {
        return readsIndicators() && (indicator == null || indicator.equals(v.indicator()))
                && (entry == null || entry.equals(v.id())) && (reporter == null || reporter.equals(v.reporter()))
                && (partner == null || partner.equals(v.partner())) && (flow == null || flow.equals(v.flow()))
                && (category == null || category.equals(v.category()));
    }

    /** Every problem with this rule, named by field; empty when it is valid. */
    public List<String> problems() {
        List<String> bad = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            bad.add("id: lower-case kebab (a-z, 0-9, -), was " + id);
        }
        if (severity == null || !SEVERITIES.contains(severity)) {
            bad.add("severity: one of critical, warning, info; was " + severity);
        }
        if (scope != null && !Set.of("region", "country").contains(scope)) {
            bad.add("scope: region or country; was " + scope);
        }
        if (!Set.of("indicator", "model", "release").contains(String.valueOf(source))) {
            bad.add("source: indicator, model or release; was " + source);
        }
        if ("release".equals(source)) {
            try {
                if (due == null || java.time.Period.parse(due).isNegative()) {
                    bad.add("due: required for a release rule, an ISO-8601 period such as P10M");
                }
            } catch (DateTimeParseException e) {
                bad.add("due: an ISO-8601 period such as P10M or P45D; was " + due);
            }
            return bad;
        }
        if ("indicator".equals(source) && transform != null && !Set.of("value", "abs", "change").contains(transform)) {
            bad.add("transform: value, abs or change; was " + transform);
        }
        if ("model".equals(source)) {
            if (model == null) {
                bad.add("model: required for a model rule");
            }
            if (measure == null || !Set.of("p_value", "coefficient", "stability_ratio").contains(measure)) {
                bad.add("measure: p_value, coefficient or stability_ratio; was " + measure);
            } else if (!measure.equals("stability_ratio") && (terms == null || terms.isEmpty())) {
                bad.add("terms: required for a p_value or coefficient rule");
            }
            if (estimate != null && !Set.of("all", "rolling").contains(estimate)) {
                bad.add("estimate: all or rolling; was " + estimate);
            }
        }
        if (threshold == null || !Double.isFinite(threshold)) {
            bad.add("threshold: a finite number is required");
        }
        try {
            if (threshold != null) {
                condition();
            }
        } catch (IllegalArgumentException e) {
            bad.add((op == null || e.getMessage().startsWith("op") ? "op: " : "clear: ") + e.getMessage());
        }
        if (forPeriods != null && (forPeriods < 1 || forPeriods > 100)) {
            bad.add("forPeriods: 1 to 100; was " + forPeriods);
        }
        if (forDuration != null) {
            try {
                if (Duration.parse(forDuration).isNegative()) {
                    bad.add("forDuration: must not be negative");
                }
            } catch (DateTimeParseException e) {
                bad.add("forDuration: an ISO-8601 duration such as PT10M; was " + forDuration);
            }
        }
        return bad;
    }
}
