package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.AlertGauges;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * {@code alerts-evaluate} (keyed by {@code rule|labels}): loads an alert's inputs and state, evaluates its rule
 * ({@link AlertRule#next}) when an input arrives (and, for missing-release rules, as time passes), stores the new
 * state and forwards every transition with its provenance to {@code dtm.alerts.v1}.
 *
 * <p>Each input of an alert is kept per period (indicator values) or per release (a model's estimate as of one
 * vintage), and the rule's state machine runs over all of them in order. An estimate as of a release is a function
 * of the rows that stand at that release or before, so the state, the run's start and the values and provenance of
 * each transition are functions of the events: not of their order, of when the model happened to be estimated while
 * a panel was half loaded, nor of a crash and restart in between. The rule is the latest version this task has seen,
 * the input's or an earlier one's (a task of the matching that has not read a rule change yet may still send what
 * the version before matched); a deletion ends the alert.
 */
final class AlertProcessor implements Processor<String, AlertInput, String, AlertTransition> {

    private static final Duration TICK = Duration.ofSeconds(1);

    private final AlertGauges gauges;
    private ProcessorContext<String, AlertTransition> context;
    private KeyValueStore<String, RuleVersion> rules;
    private KeyValueStore<String, AlertInput> inputs;
    private KeyValueStore<String, AlertRecord> states;

    AlertProcessor(AlertGauges gauges) {
        this.gauges = gauges;
    }

    @Override
    public void init(ProcessorContext<String, AlertTransition> context) {
        this.context = context;
        this.rules = context.getStateStore(AlertsTopology.EVALUATED_RULE_STORE);
        this.inputs = context.getStateStore(AlertsTopology.INPUT_STORE);
        this.states = context.getStateStore(AlertsTopology.STATE_STORE);
        forEachFiring(rule -> gauges.adjust(rule.id(), rule.severity(), 1));
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

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
        AlertRecord before = states.get(key);
        AlertRecord after = latest.rule().next(before, new AlertHistory(in, stored(key, in)), now());
        update(key, latest.rule(), before, after);
    }

    /** Stores the input of its period (or its withdrawal) and returns every input of the alert by period. */
    private NavigableMap<String, AlertInput> stored(String key, AlertInput in) {
        String periodKey = key + "#" + in.period();
        if (in.value() == null) {
            inputs.delete(periodKey);
        } else {
            inputs.put(periodKey, in.by(null));
        }
        NavigableMap<String, AlertInput> all = new TreeMap<>();
        try (KeyValueIterator<String, AlertInput> it = inputs.prefixScan(key + "#", Serdes.String().serializer())) {
            it.forEachRemaining(kv -> all.put(kv.key.substring(key.length() + 1), kv.value));
        }
        return all;
    }

    /**
     * Ends an alert of a deleted rule: its inputs and state go, and a firing one resolves. The rule's gauges go too
     * (they are registered again if the rule comes back).
     */
    private void end(String key, AlertRule last) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, AlertInput> it = inputs.prefixScan(key + "#", Serdes.String().serializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(inputs::delete);
        AlertRecord state = states.get(key);
        if (state != null) {
            states.delete(key);
            if (state.status() == AlertStatus.FIRING && last != null) {
                forward(key, last, state, resolvedFrom(state));
            }
            gauges.remove(state.rule());
        }
    }

    /** Evaluates every alert of this task as time passes (missing-release alerts fire when they become due). */
    private void tick(long now) {
        List<KeyValue<String, AlertRecord>> changed = new ArrayList<>();
        List<AlertRule> by = new ArrayList<>();
        forEachState((key, state) -> {
            AlertRule rule = inForce(state.rule());
            AlertRecord after = rule == null ? state : rule.next(state, AlertHistory.tick(), Instant.ofEpochMilli(now));
            if (!state.equals(after)) {
                changed.add(KeyValue.pair(key, after));
                by.add(rule);
            }
        });
        for (int i = 0; i < changed.size(); i++) {
            String key = changed.get(i).key;
            update(key, by.get(i), states.get(key), changed.get(i).value);
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
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
        boolean recomputed = rule instanceof ModelThreshold && before != null && after.status() == before.status()
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
        String id = transitionId(key, status, Since.text(after.since()));
        AlertTransition t = new AlertTransition(key, id, rule.id(), rule.severity(), scope(rule, after.labels()),
                rule.description(),
                after.labels(), from, status, Since.text(after.since()), after.period(), after.value(),
                after.previousValue(),
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
