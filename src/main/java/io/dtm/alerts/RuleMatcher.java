package io.dtm.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dtm.streams.JsonSerde;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code alerts-match-*}: turns each input value (an indicator value or a model snapshot) into the inputs of the
 * alerts whose rules select it, and keeps the latest value per key, so that a rule that is added or changed is
 * evaluated at once on the values already there (checked every second against the rules this task has seen).
 */
final class RuleMatcher<V> implements Processor<String, V, String, AlertInput> {

    /** The alerts a value is an input of, under the given rules. */
    @FunctionalInterface
    interface Match<V> {
        List<KeyValue<String, AlertInput>> apply(Map<String, AlertRule> rules, String key, V value);
    }

    private static final Duration CHECK = Duration.ofSeconds(1);

    private final Supplier<Map<String, AlertRule>> rules;
    private final String latestStore;
    private final String seenStore;
    private final Match<V> match;
    private ProcessorContext<String, AlertInput> context;
    private KeyValueStore<String, V> latest;
    private KeyValueStore<String, String> seen;
    private Map<String, AlertRule> checked;

    RuleMatcher(Supplier<Map<String, AlertRule>> rules, String latestStore, String seenStore, Match<V> match) {
        this.rules = rules;
        this.latestStore = latestStore;
        this.seenStore = seenStore;
        this.match = match;
    }

    @Override
    public void init(ProcessorContext<String, AlertInput> context) {
        this.context = context;
        this.latest = context.getStateStore(latestStore);
        this.seen = context.getStateStore(seenStore);
        context.schedule(CHECK, PunctuationType.WALL_CLOCK_TIME, this::catchUp);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null) {
            return;
        }
        // matched first: a value that cannot be matched (bad data) throws before it is kept for later rules
        List<KeyValue<String, AlertInput>> inputs = match.apply(rules.get(), record.key(), record.value());
        if (record.value() == null) {
            latest.delete(record.key());
        } else {
            latest.put(record.key(), record.value());
        }
        for (KeyValue<String, AlertInput> kv : inputs) {
            context.forward(record.withKey(kv.key).withValue(kv.value));
        }
    }

    /** Evaluates new and changed rules on the latest values. */
    private void catchUp(long now) {
        Map<String, AlertRule> inForce = rules.get();
        if (inForce == checked) {
            return; // the rule book replaces its map on every change
        }
        Map<String, AlertRule> changed = new LinkedHashMap<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (AlertRule rule : inForce.values()) {
            String fingerprint = fingerprint(rule);
            if (!Objects.equals(seen.get(rule.id()), fingerprint)) {
                changed.put(rule.id(), rule);
                fingerprints.put(rule.id(), fingerprint);
            }
        }
        Set<String> gone = new HashSet<>();
        try (KeyValueIterator<String, String> it = seen.all()) {
            it.forEachRemaining(kv -> {
                if (!inForce.containsKey(kv.key)) {
                    gone.add(kv.key);
                }
            });
        }
        gone.forEach(seen::delete);
        if (!changed.isEmpty()) {
            try (KeyValueIterator<String, V> it = latest.all()) {
                while (it.hasNext()) {
                    KeyValue<String, V> kv = it.next();
                    for (KeyValue<String, AlertInput> in : match.apply(changed, kv.key, kv.value)) {
                        context.forward(new Record<>(in.key, in.value, now, new RecordHeaders()));
                    }
                }
            }
            fingerprints.forEach(seen::put);
        }
        checked = inForce;
    }

    private static String fingerprint(AlertRule rule) {
        try {
            return JsonSerde.MAPPER.writeValueAsString(rule);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
