package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dtm.api.Problems;
import io.dtm.events.IndicatorValue;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An alert rule (DESIGN §7): a threshold with a clear threshold and a {@code for}, on an indicator selection
 * (evaluated by period) or on a model output (evaluated by release, on the model's estimate as of each vintage);
 * or a missing release of the series of an indicator selection (evaluated on wall-clock time against its
 * publication calendar).
 *
 * @param source     {@code indicator}, {@code model} or {@code release}
 * @param transform  indicator rules: {@code value}, {@code abs} (|value|) or {@code change} (value − the previous
 *                   period's value)
 * @param measure    model rules: {@code p_value} (clustered), {@code coefficient}, {@code stability_ratio},
 *                   {@code shift_p_value} (driver-shift test, bootstrap p; {@code terms} default to {@code joint})
 *                   or {@code chow_p_value} (clustered break test at the model's break year, bootstrap p)
 * @param armed      model rules: only after the opposite of the condition was seen (e.g. p below the clear
 *                   threshold before it may fire above the threshold: a significance flip)
 * @param forPeriods consecutive periods (indicator rules) or releases (model rules) that fire
 * @param forDuration model rules: how long apart the release dates of a run's first and firing releases must be
 *                   (time on the data's axis, not the wall clock)
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
    private static final Set<String> MODEL_MEASURES = Set.of("p_value", "coefficient", "stability_ratio",
            "shift_p_value", "chow_p_value");
    /** The longest description, in UTF-8 bytes. */
    static final int MAX_DESCRIPTION = 4096;

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

    /**
     * Every problem with this rule, named by field; empty when it is valid. Besides the meaning of each field, the
     * bounds: durations and offsets of at most ten years, finite thresholds, names of at most
     * {@value Bounds#MAX_NAME} characters, a description of at most {@value #MAX_DESCRIPTION} bytes.
     */
    public List<String> problems() {
        List<String> bad = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            bad.add("id: lower-case kebab (a-z, 0-9, -), at most 63 characters; was " + Problems.echo(id));
        }
        if (severity == null || !SEVERITIES.contains(severity)) {
            bad.add("severity: one of critical, warning, info; was " + Problems.echo(severity));
        }
        if (scope != null && !Set.of("region", "country").contains(scope)) {
            bad.add("scope: region or country; was " + Problems.echo(scope));
        }
        if (!Set.of("indicator", "model", "release").contains(String.valueOf(source))) {
            bad.add("source: indicator, model or release; was " + Problems.echo(source));
        }
        Bounds.utf8(bad, "description", description, MAX_DESCRIPTION);
        Bounds.name(bad, "indicator", indicator, Bounds.MAX_NAME);
        Bounds.name(bad, "entry", entry, Bounds.MAX_NAME);
        Bounds.name(bad, "reporter", reporter, Bounds.MAX_NAME);
        Bounds.name(bad, "partner", partner, Bounds.MAX_NAME);
        Bounds.name(bad, "flow", flow, Bounds.MAX_NAME);
        Bounds.name(bad, "category", category, Bounds.MAX_NAME);
        Bounds.name(bad, "model", model, Bounds.MAX_NAME);
        if (Bounds.entries(bad, "terms", terms, Bounds.MAX_ENTRIES)) {
            for (int i = 0; terms != null && i < terms.size(); i++) {
                Bounds.name(bad, "terms[" + i + "]", terms.get(i), Bounds.MAX_NAME);
            }
        }
        if ("release".equals(source)) {
            releaseProblems(bad);
            return bad;
        }
        if ("indicator".equals(source) && transform != null && !Set.of("value", "abs", "change").contains(transform)) {
            bad.add("transform: value, abs or change; was " + Problems.echo(transform));
        }
        if ("model".equals(source)) {
            if (model == null) {
                bad.add("model: required for a model rule");
            }
            if (measure == null || !MODEL_MEASURES.contains(measure)) {
                bad.add("measure: p_value, coefficient, stability_ratio, shift_p_value or chow_p_value; was "
                        + Problems.echo(measure));
            } else if (Set.of("p_value", "coefficient").contains(measure) && (terms == null || terms.isEmpty())) {
                bad.add("terms: required for a p_value or coefficient rule");
            }
            if (estimate != null && !Set.of("all", "rolling").contains(estimate)) {
                bad.add("estimate: all or rolling; was " + Problems.echo(estimate));
            }
        }
        if (threshold == null || !Double.isFinite(threshold)) {
            bad.add("threshold: a finite number is required; was " + threshold);
        }
        if (clear != null && !Double.isFinite(clear)) {
            bad.add("clear: a finite number; was " + clear);
        }
        try {
            if (threshold != null && Double.isFinite(threshold) && (clear == null || Double.isFinite(clear))) {
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

    /** The publication lag of a release rule: more than nothing, at most ten years. */
    private void releaseProblems(List<String> bad) {
        if (due == null) {
            bad.add("due: required for a release rule, an ISO-8601 period such as P10M");
            return;
        }
        try {
            java.time.Period lag = java.time.Period.parse(due);
            Duration length = ChronoUnit.MONTHS.getDuration().multipliedBy(lag.toTotalMonths())
                    .plusDays(lag.getDays());
            if (lag.isNegative() || lag.isZero() || length.compareTo(Bounds.MAX_DURATION) > 0) {
                bad.add("due: more than P0D, at most ten years (P10Y), no negative part; was " + Problems.echo(due));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            bad.add("due: an ISO-8601 period such as P10M or P45D; was " + Problems.echo(due));
        }
    }
}
