package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dtm.api.Problems;
import io.dtm.events.IndicatorValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An alert rule (DESIGN §7), one record per kind, told apart by its {@code source}: a threshold on an indicator
 * selection, evaluated by period ({@link IndicatorThreshold}); a threshold on a model output, evaluated by release
 * ({@link ModelThreshold}); a missing release of the series of an indicator selection, evaluated on wall-clock time
 * against its publication calendar ({@link MissingRelease}). Each says what an alert becomes with
 * {@link #next}, a pure function.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "source",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = IndicatorThreshold.class, name = IndicatorThreshold.SOURCE),
    @JsonSubTypes.Type(value = ModelThreshold.class, name = ModelThreshold.SOURCE),
    @JsonSubTypes.Type(value = MissingRelease.class, name = MissingRelease.SOURCE)})
public sealed interface AlertRule permits AlertRule.OnIndicators, AlertRule.Threshold, IndicatorThreshold,
        ModelThreshold, MissingRelease {

    /** The longest description, in UTF-8 bytes. */
    int MAX_DESCRIPTION = 4096;

    String id();

    /** {@code indicator}, {@code model} or {@code release}: the kind. */
    String source();

    /** {@code critical}, {@code warning} or {@code info}. */
    String severity();

    String description();

    /** {@code region} or {@code country}: Alertmanager inhibits country alerts while a region one fires. */
    String scope();

    /** Every problem with this rule, named by field; empty when it is valid. */
    List<String> problems();

    /**
     * The state of an alert of this rule (its inputs in {@code history}, labelled by the alert's key) after an input
     * arrived or, with {@link AlertHistory#tick()}, as time passed; {@code null} when it has no state (no value).
     */
    AlertRecord next(AlertRecord state, AlertHistory history, Instant now);

    /** Rules that read indicator values, through a selection of their labels. */
    sealed interface OnIndicators extends AlertRule permits IndicatorThreshold, MissingRelease {

        String indicator();

        String entry();

        String reporter();

        String partner();

        String flow();

        String category();

        /** Whether an indicator value is in this rule's selection. */
        default boolean selects(IndicatorValue v) {
            return (indicator() == null || indicator().equals(v.indicator()))
                    && (entry() == null || entry().equals(v.id()))
                    && (reporter() == null || reporter().equals(v.reporter()))
                    && (partner() == null || partner().equals(v.partner()))
                    && (flow() == null || flow().equals(v.flow()))
                    && (category() == null || category().equals(v.category()));
        }
    }

    /** Rules with a threshold, a clear threshold (hysteresis) and an operator. */
    sealed interface Threshold extends AlertRule permits IndicatorThreshold, ModelThreshold {

        String op();

        Double threshold();

        Double clear();

        /** The condition, with the clear threshold defaulting to the threshold. */
        default Condition condition() {
            return new Condition(Condition.Op.of(op()), threshold(), clear() == null ? threshold() : clear());
        }
    }

    /** The checks every kind shares. */
    final class Checks {

        private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
        private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

        private Checks() {
        }

        /** The problems of the fields every rule has, {@code source} being {@code expected}. */
        static List<String> common(AlertRule rule, String expected) {
            List<String> bad = new ArrayList<>();
            if (rule.id() == null || !ID.matcher(rule.id()).matches()) {
                bad.add("id: lower-case kebab (a-z, 0-9, -), at most 63 characters; was " + Problems.echo(rule.id()));
            }
            if (rule.severity() == null || !SEVERITIES.contains(rule.severity())) {
                bad.add("severity: one of critical, warning, info; was " + Problems.echo(rule.severity()));
            }
            if (rule.scope() != null && !Set.of("region", "country").contains(rule.scope())) {
                bad.add("scope: region or country; was " + Problems.echo(rule.scope()));
            }
            if (!expected.equals(rule.source())) {
                bad.add("source: indicator, model or release; was " + Problems.echo(rule.source()));
            }
            Bounds.utf8(bad, "description", rule.description(), MAX_DESCRIPTION);
            return bad;
        }

        /** The problems of an indicator selection. */
        static void selection(List<String> bad, OnIndicators rule) {
            Bounds.name(bad, "indicator", rule.indicator(), Bounds.MAX_NAME);
            Bounds.name(bad, "entry", rule.entry(), Bounds.MAX_NAME);
            Bounds.name(bad, "reporter", rule.reporter(), Bounds.MAX_NAME);
            Bounds.name(bad, "partner", rule.partner(), Bounds.MAX_NAME);
            Bounds.name(bad, "flow", rule.flow(), Bounds.MAX_NAME);
            Bounds.name(bad, "category", rule.category(), Bounds.MAX_NAME);
        }

        /** The problems of a threshold, its clear threshold, its operator and {@code forPeriods}. */
        static void threshold(List<String> bad, Threshold rule, Integer forPeriods) {
            Double threshold = rule.threshold();
            Double clear = rule.clear();
            if (threshold == null || !Double.isFinite(threshold)) {
                bad.add("threshold: a finite number is required; was " + threshold);
            }
            if (clear != null && !Double.isFinite(clear)) {
                bad.add("clear: a finite number; was " + clear);
            }
            try {
                if (threshold != null && Double.isFinite(threshold) && (clear == null || Double.isFinite(clear))) {
                    rule.condition();
                }
            } catch (IllegalArgumentException e) {
                bad.add((rule.op() == null || e.getMessage().startsWith("op") ? "op: " : "clear: ") + e.getMessage());
            }
            if (forPeriods != null && (forPeriods < 1 || forPeriods > 100)) {
                bad.add("forPeriods: 1 to 100; was " + forPeriods);
            }
        }
    }
}
