package io.dtm.alerts;

import io.dtm.events.IndicatorValue;
import io.dtm.events.ModelSnapshot;
import io.dtm.metrics.AlertGauges;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code alerts-match}: turns each input value (an indicator value or a model's estimate as of a release) into the
 * inputs of the alerts whose rules select it, and keeps the latest value per key. The rules come in-band: every
 * task reads every rule change ({@code alerts-rule-changes}, sent to every partition), keeps the rules in its store
 * and, on a change, matches the changed rule against the latest values at once, in the same task and transaction,
 * so that a replay after a crash evaluates exactly what the first run did. Registers
 * {@code dtm_alerts_firing{rule,severity}} at 0 for every rule it sees.
 */
final class RuleMatcher implements Processor<String, MatchInput, String, AlertInput> {

    /** The alerts a value is an input of, under the given rules. */
    @FunctionalInterface
    interface Match<V> {
        List<KeyValue<String, AlertInput>> apply(Map<String, AlertRule> rules, String key, V value);
    }

    private final AlertGauges gauges;
    private ProcessorContext<String, AlertInput> context;
    private KeyValueStore<String, RuleVersion> ruleStore;
    private KeyValueStore<String, IndicatorValue> indicators;
    private KeyValueStore<String, ModelSnapshot> models;
    /** The rules in force, as in the store. */
    private final Map<String, RuleVersion> versions = new TreeMap<>();
    private final Map<String, AlertRule> rules = new TreeMap<>();

    RuleMatcher(AlertGauges gauges) {
        this.gauges = gauges;
    }

    @Override
    public void init(ProcessorContext<String, AlertInput> context) {
        this.context = context;
        this.ruleStore = context.getStateStore(AlertsTopology.RULE_STORE);
        this.indicators = context.getStateStore(AlertsTopology.INDICATOR_STORE);
        this.models = context.getStateStore(AlertsTopology.MODEL_STORE);
        try (KeyValueIterator<String, RuleVersion> all = ruleStore.all()) {
            all.forEachRemaining(kv -> keep(kv.key, kv.value));
        }
    }

    @Override
    public void process(Record<String, MatchInput> record) {
        if (record.key() == null) {
            return;
        }
        MatchInput in = record.value();
        if (in instanceof MatchInput.RuleChange change) {
            change(record, change.change());
        } else if (in instanceof MatchInput.Indicator indicator) {
            value(record, indicator.value(), indicators, AlertsTopology::fromIndicator);
        } else if (in instanceof MatchInput.ModelRelease release) {
            value(record, release.snapshot(), models, AlertsTopology::fromModel);
        }
    }

    private <V> void value(Record<String, MatchInput> record, V value, KeyValueStore<String, V> latest,
            Match<V> match) {
        // matched first: a value that cannot be matched (bad data) throws before it is kept for later rules
        List<KeyValue<String, AlertInput>> inputs = match.apply(Collections.unmodifiableMap(rules), record.key(),
                value);
        if (value == null) {
            latest.delete(record.key());
        } else {
            latest.put(record.key(), value);
        }
        for (KeyValue<String, AlertInput> kv : inputs) {
            forward(record, kv, versions.get(kv.value.rule()));
        }
    }

    /**
     * A new or changed rule is matched against the latest values; a deleted one too, with its last version, so that
     * each of its alerts learns that it ended.
     */
    private void change(Record<String, MatchInput> record, RuleVersion change) {
        String id = record.key();
        RuleVersion before = versions.get(id);
        AlertRule old = before == null ? null : before.rule();
        if (Objects.equals(old, change.rule())) {
            return; // the same rule again, or the deletion of one that is not there
        }
        AlertRule matched;
        RuleVersion sent;
        if (change.deleted()) {
            versions.remove(id);
            rules.remove(id);
            ruleStore.delete(id);
            gauges.remove(id);
            matched = old;
            sent = new RuleVersion(change.version(), old, true);
        } else {
            ruleStore.put(id, change);
            keep(id, change);
            matched = change.rule();
            sent = change;
        }
        Map<String, AlertRule> one = Map.of(id, matched);
        if (matched instanceof AlertRule.OnIndicators) {
            try (KeyValueIterator<String, IndicatorValue> it = indicators.all()) {
                it.forEachRemaining(kv -> AlertsTopology.fromIndicator(one, kv.key, kv.value)
                        .forEach(in -> forward(record, in, sent)));
            }
        } else {
            try (KeyValueIterator<String, ModelSnapshot> it = models.all()) {
                it.forEachRemaining(kv -> AlertsTopology.fromModel(one, kv.key, kv.value)
                        .forEach(in -> forward(record, in, sent)));
            }
        }
    }

    private void keep(String id, RuleVersion version) {
        versions.put(id, version);
        rules.put(id, version.rule());
        gauges.register(id, version.rule().severity());
    }

    private void forward(Record<String, MatchInput> record, KeyValue<String, AlertInput> input, RuleVersion by) {
        context.forward(record.withKey(input.key).withValue(input.value.by(by)));
    }
}
