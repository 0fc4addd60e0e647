package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.AlertGauges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code alerts-evaluate} (keyed by {@code rule|labels}): keeps each alert's inputs and state, evaluates its rule
 * when an input changes (and, for missing-release rules, as time passes) and forwards every transition with its
 * provenance to {@code dtm.alerts.v1}.
 *
 * <p>Indicator rules run over the indicator's periods, model rules over the model's releases: each input of a
 * model rule is the value of its measure in the estimate as of one release (vintage), kept with its provenance per
 * (alert, release), and the rule's state machine runs over the releases in order. An estimate as of a release is a
 * function of the rows that stand at that release or before, so the state, the run's start and the values and
 * provenance of each transition are functions of the events: not of their order, of when the model happened to be
 * estimated while a panel was half loaded, nor of a crash and restart in between (the inputs are kept per release
 * and the state is computed again from all of them). Nothing of a model rule is on the wall clock: its
 * {@code forDuration} is measured between release dates.
 */
final class AlertProcessor implements Processor<String, AlertInput, String, AlertTransition> {

    private static final Duration TICK = Duration.ofSeconds(1);

    private final AlertGauges gauges;
    private ProcessorContext<String, AlertTransition> context;
    private KeyValueStore<String, RuleVersion> rules;
    private KeyValueStore<String, Double> series;
    private KeyValueStore<String, AlertInput> releases;
    private KeyValueStore<String, AlertRecord> states;

    AlertProcessor(AlertGauges gauges) {
        this.gauges = gauges;
    }

    @Override
    public void init(ProcessorContext<String, AlertTransition> context) {
        this.context = context;
        this.rules = context.getStateStore(AlertsTopology.EVALUATED_RULE_STORE);
        this.series = context.getStateStore(AlertsTopology.SERIES_STORE);
        this.releases = context.getStateStore(AlertsTopology.RELEASE_STORE);
        this.states = context.getStateStore(AlertsTopology.STATE_STORE);
        forEachFiring(rule -> gauges.adjust(rule.id(), rule.severity(), 1));
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /**
     * Evaluates the alert with the latest version of its rule seen here, the input's or an earlier input's (a task
     * of the matching that has not read a rule change yet may still send what the version before matched); ends it
     * once that version is a deletion.
     */
    @Override
    public void process(Record<String, AlertInput> record) {
        AlertInput in = record.value();
        RuleVersion known = rules.get(in.rule());
        RuleVersion latest = in.ruleVersion().latest(known);
        if (latest != known) {
            rules.put(in.rule(), latest);
        }
        String key = record.key();
        if (latest.deleted()) {
            end(key, latest.rule());
            return;
        }
        AlertRule rule = latest.rule();
        AlertRecord before = states.get(key);
        long now = context.currentSystemTimeMs();
        AlertRecord after = rule.onIndicators() ? byPeriod(rule, key, in, before)
                : rule.onReleases() ? byRelease(rule, key, in, before, now) : byModelRelease(rule, key, in);
        update(key, rule, before, after);
    }

    /**
     * Ends an alert of a deleted rule: its inputs and state go, and a firing one resolves. The rule's gauges go too
     * (they are registered again if the rule comes back).
     */
    private void end(String key, AlertRule last) {
        for (KeyValueStore<String, ?> store : List.of(series, releases)) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, ?> it = store.prefixScan(key + "#", Serdes.String().serializer())) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(store::delete);
        }
        AlertRecord state = states.get(key);
        if (state != null) {
            states.delete(key);
            if (state.status() == AlertStatus.FIRING && last != null) {
                forward(key, last, state, resolvedFrom(state));
            }
            gauges.remove(state.rule());
        }
    }

    /** Stores the input's period value (or its withdrawal) and returns the alert's values by period. */
    private NavigableMap<String, Double> values(String key, AlertInput in) {
        String seriesKey = key + "#" + in.period();
        if (in.value() == null) {
            series.delete(seriesKey);
        } else {
            series.put(seriesKey, in.value());
        }
        NavigableMap<String, Double> values = new TreeMap<>();
        try (KeyValueIterator<String, Double> it = series.prefixScan(key + "#", Serdes.String().serializer())) {
            it.forEachRemaining(kv -> values.put(kv.key.substring(key.length() + 1), kv.value));
        }
        return values;
    }

    /**
     * The state of a missing-release rule: firing while the period after the latest one received is overdue
     * ({@code since} = when it became due); a release of that period resolves it.
     */
    private AlertRecord byRelease(AlertRule rule, String key, AlertInput in, AlertRecord before, long now) {
        NavigableMap<String, Double> values = values(key, in);
        if (values.isEmpty()) {
            return null;
        }
        Map.Entry<String, Double> latest = values.lastEntry();
        Map.Entry<String, Double> previous = values.lowerEntry(latest.getKey());
        boolean fresh = latest.getKey().equals(in.period()) || before == null;
        return released(rule, in.labels(), latest.getKey(), latest.getValue(),
                previous == null ? null : previous.getValue(), fresh ? in.source() : before.source(),
                fresh ? in.eventId() : before.eventId(), fresh ? in.vintage() : before.vintage(), now);
    }

    private static AlertRecord released(AlertRule rule, Map<String, String> labels, String latest, double value,
            Double previousValue, String source, String eventId, String vintage, long now) {
        long due = ReleaseCalendar.due(latest, rule.releaseLag()).map(java.time.Instant::toEpochMilli)
                .orElse(Long.MAX_VALUE);
        AlertStatus status = now >= due ? AlertStatus.FIRING : AlertStatus.INACTIVE;
        return new AlertRecord(rule.id(), labels, status, Long.toString(due), latest, value, previousValue, false,
                source, eventId, vintage);
    }

    /** The state of a period rule; the provenance is that of the latest period's input. */
    private AlertRecord byPeriod(AlertRule rule, String key, AlertInput in, AlertRecord before) {
        NavigableMap<String, Double> values = values(key, in);
        NavigableMap<String, Double> evaluated = transform(rule.transform(), values);
        if (evaluated.isEmpty()) {
            return null;
        }
        PeriodEvaluation.State s = PeriodEvaluation.evaluate(rule.condition(), rule.periods(), evaluated);
        Map.Entry<String, Double> previous = evaluated.lowerEntry(s.period());
        boolean latest = s.period().equals(in.period()) || before == null;
        return new AlertRecord(rule.id(), in.labels(), s.status(), s.since(), s.period(), s.value(),
                previous == null ? null : previous.getValue(), false, latest ? in.source() : before.source(),
                latest ? in.eventId() : before.eventId(), latest ? in.vintage() : before.vintage());
    }

    private static NavigableMap<String, Double> transform(String transform, NavigableMap<String, Double> values) {
        if (transform == null || transform.equals("value")) {
            return values;
        }
        NavigableMap<String, Double> out = new TreeMap<>();
        Double previous = null;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (transform.equals("abs")) {
                out.put(e.getKey(), Math.abs(e.getValue()));
            } else if (previous != null) {
                out.put(e.getKey(), e.getValue() - previous);
            }
            previous = e.getValue();
        }
        return out;
    }

    /**
     * The state of a model rule: its state machine over the model's releases (the input's period is the release's
     * vintage). The record is that of the release the state was entered at (the release that fired a firing alert,
     * with its value, the value of the release before it and its provenance), so that it depends on the releases
     * and not on which of them had arrived when the state was entered.
     */
    private AlertRecord byModelRelease(AlertRule rule, String key, AlertInput in) {
        String releaseKey = key + "#" + in.period();
        if (in.value() == null) {
            releases.delete(releaseKey);
        } else {
            releases.put(releaseKey, in.by(null));
        }
        NavigableMap<String, AlertInput> inputs = new TreeMap<>();
        try (KeyValueIterator<String, AlertInput> it = releases.prefixScan(key + "#", Serdes.String().serializer())) {
            it.forEachRemaining(kv -> inputs.put(kv.key.substring(key.length() + 1), kv.value));
        }
        if (inputs.isEmpty()) {
            return null;
        }
        NavigableMap<String, Double> values = new TreeMap<>();
        inputs.forEach((release, input) -> values.put(release, input.value()));
        Condition condition = rule.condition();
        boolean armed = Boolean.TRUE.equals(rule.armed());
        PeriodEvaluation.State s = PeriodEvaluation.evaluate(condition, rule.periods(), armed,
                Duration.ofMillis(rule.forMillis()), values);
        Map.Entry<String, Double> previous = values.lowerEntry(s.entered());
        AlertInput at = inputs.get(s.entered());
        return new AlertRecord(rule.id(), at.labels(), s.status(), s.since(), s.entered(), at.value(),
                previous == null ? null : previous.getValue(),
                !armed || values.values().stream().anyMatch(v -> !condition.holds(v)), at.source(), at.eventId(),
                at.vintage());
    }

    /** Fires missing-release alerts that became overdue. */
    private void tick(long now) {
        List<KeyValue<String, AlertRecord>> awaited = new ArrayList<>();
        Map<String, AlertRule> byId = new HashMap<>();
        forEachState((key, state) -> {
            AlertRule rule = inForce(state.rule());
            if (rule != null && rule.onReleases() && state.status() != AlertStatus.FIRING
                    && now >= Long.parseLong(state.since())) {
                awaited.add(KeyValue.pair(key, state));
                byId.put(rule.id(), rule);
            }
        });
        for (KeyValue<String, AlertRecord> kv : awaited) {
            AlertRecord s = kv.value;
            AlertRule rule = byId.get(s.rule());
            update(kv.key, rule, s, released(rule, s.labels(), s.period(), s.value(), s.previousValue(), s.source(),
                    s.eventId(), s.vintage(), now));
        }
    }

    /** The rule {@code id} as last seen here, or {@code null} when it is not known or was deleted. */
    private AlertRule inForce(String id) {
        RuleVersion version = rules.get(id);
        return version == null || version.deleted() ? null : version.rule();
    }

    private void update(String key, AlertRule rule, AlertRecord before, AlertRecord after) {
        if (after == null) {
            if (before != null) {
                states.delete(key);
                if (before.status() == AlertStatus.FIRING) {
                    gauges.adjust(rule.id(), rule.severity(), -1);
                    forward(key, rule, before, resolvedFrom(before));
                }
            }
            return;
        }
        AlertStatus from = before == null ? AlertStatus.INACTIVE : before.status();
        if (from == AlertStatus.FIRING && after.status() == AlertStatus.INACTIVE) {
            after = resolvedFrom(after); // a revision took back what fired it
        }
        states.put(key, after);
        boolean newRun = before != null && after.status() == before.status()
                && !java.util.Objects.equals(after.since(), before.since()) && after.status() != AlertStatus.INACTIVE;
        // a model alert's release, values or provenance computed again on revised releases: the same transition
        // (same id) is sent again with them, so that the latest transition of an alert is what the data gives
        boolean recomputed = "model".equals(rule.source()) && before != null && after.status() == before.status()
                && (after.status() == AlertStatus.FIRING || after.status() == AlertStatus.PENDING)
                && !after.equals(before);
        if (from == after.status() && !newRun && !recomputed) {
            return;
        }
        if (from == AlertStatus.FIRING) {
            gauges.adjust(rule.id(), rule.severity(), -1);
        }
        if (after.status() == AlertStatus.FIRING) {
            gauges.adjust(rule.id(), rule.severity(), 1);
        }
        boolean silent = after.status() == AlertStatus.INACTIVE && from != AlertStatus.PENDING;
        if (!silent) {
            forward(key, rule, before, after);
        }
    }

    private static AlertRecord resolvedFrom(AlertRecord firing) {
        return new AlertRecord(firing.rule(), firing.labels(), AlertStatus.RESOLVED, firing.since(), firing.period(),
                firing.value(), firing.previousValue(), firing.armed(), firing.source(), firing.eventId(),
                firing.vintage());
    }

    /** Region (an aggregate reporter, or none) or country: what Alertmanager's inhibition matches on. */
    static String scope(AlertRule rule, Map<String, String> labels) {
        String reporter = labels.get("reporter");
        if (reporter == null) {
            return rule.scope() == null ? "region" : rule.scope();
        }
        return reporter.length() == 3 && !reporter.equals("WLD") ? "country" : "region";
    }

    private void forward(String key, AlertRule rule, AlertRecord before, AlertRecord after) {
        String status = after.status().name().toLowerCase(Locale.ROOT);
        String from = (before == null ? AlertStatus.INACTIVE : before.status()).name().toLowerCase(Locale.ROOT);
        String id = transitionId(key, status, after.since());
        AlertTransition t = new AlertTransition(key, id, rule.id(), rule.severity(), scope(rule, after.labels()),
                rule.description(),
                after.labels(), from, status, after.since(), after.period(), after.value(), after.previousValue(),
                context.currentSystemTimeMs(), after.source(), after.eventId(), after.vintage());
        context.forward(new Record<>(key, t, context.currentSystemTimeMs(), new RecordHeaders()));
    }

    /** The stable id of the transition of alert {@code key} to {@code status} in the run that began {@code since}. */
    static String transitionId(String key, String status, String since) {
        return UUID.nameUUIDFromBytes((key + "|" + status + "|" + since).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private void forEachState(java.util.function.BiConsumer<String, AlertRecord> action) {
        try (KeyValueIterator<String, AlertRecord> all = states.all()) {
            all.forEachRemaining(kv -> action.accept(kv.key, kv.value));
        }
    }

    /** The rule of every firing alert of this task whose rule is in force. */
    private void forEachFiring(java.util.function.Consumer<AlertRule> action) {
        forEachState((key, state) -> {
            AlertRule rule = state.status() == AlertStatus.FIRING ? inForce(state.rule()) : null;
            if (rule != null) {
                action.accept(rule);
            }
        });
    }

    @Override
    public void close() {
        forEachFiring(rule -> gauges.adjust(rule.id(), rule.severity(), -1));
    }
}
