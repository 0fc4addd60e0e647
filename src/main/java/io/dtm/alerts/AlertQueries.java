package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The alerts held by this instance's state store (interactive queries), as transitions to their current state, with
 * the rules they were evaluated with.
 */
@ApplicationScoped
class AlertQueries {

    private final KafkaStreams streams;

    AlertQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * The alerts of this instance in {@code states} (all when empty), sorted by key.
     *
     * @throws InvalidStateStoreException while the store is not ready
     */
    List<AlertTransition> current(List<AlertStatus> states, long now) {
        List<AlertTransition> found = new ArrayList<>();
        ReadOnlyKeyValueStore<String, RuleVersion> rules = streams.store(StoreQueryParameters.fromNameAndType(
                AlertsTopology.EVALUATED_RULE_STORE, QueryableStoreTypes.<String, RuleVersion>keyValueStore()));
        try (KeyValueIterator<String, AlertRecord> it = streams.store(StoreQueryParameters.fromNameAndType(
                AlertsTopology.STATE_STORE, QueryableStoreTypes.<String, AlertRecord>keyValueStore())).all()) {
            it.forEachRemaining(kv -> {
                AlertRecord r = kv.value;
                if (states.isEmpty() || states.contains(r.status())) {
                    RuleVersion version = rules.get(r.rule());
                    AlertRule rule = version == null ? null : version.rule();
                    String status = r.status().name().toLowerCase(Locale.ROOT);
                    found.add(new AlertTransition(kv.key, AlertProcessor.transitionId(kv.key, status, Since.text(r.since())),
                            r.rule(), rule == null ? null : rule.severity(),
                            rule == null ? null : AlertProcessor.scope(rule, r.labels()),
                            rule == null ? null : rule.description(), r.labels(), status, status, Since.text(r.since()),
                            r.period(), r.value(), r.previousValue(), now, r.source(), r.eventId(), r.vintage()));
                }
            });
        }
        found.sort(Comparator.comparing(AlertTransition::key));
        return found;
    }
}
