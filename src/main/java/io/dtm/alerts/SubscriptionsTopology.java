package io.dtm.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Role;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The subscriptions as a table of the topology, on every instance of the alerts role: {@code dtm.subscriptions.v1}
 * read into the global store {@value #STORE} (in memory, rebuilt from the topic at start: it holds the decrypted
 * secrets, which never reach a disk), through {@link SubscriptionStore#open}. A record that is not a subscription
 * is left out and dead-lettered ({@code deserialization} when it is not JSON, {@code processing} otherwise); one
 * whose secret does not decrypt is left out and counted. Either way an earlier value of its key is removed. The
 * processor never throws, so no record stops the global thread.
 */
@ApplicationScoped
public class SubscriptionsTopology implements SubTopology {

    /** The subscriptions by id, secrets decrypted. */
    public static final String STORE = "subscription-store";

    private final SubscriptionStore subscriptions;
    private final DeadLetters deadLetters;

    SubscriptionsTopology(SubscriptionStore subscriptions, DeadLetters deadLetters) {
        this.subscriptions = subscriptions;
        this.deadLetters = deadLetters;
    }

    @Override
    public Role role() {
        return Role.ALERTS;
    }

    @Override
    public void addTo(StreamsBuilder builder) {
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                JsonSerde.of(Subscription.class)).withLoggingDisabled().withCachingDisabled(),
                Topics.SUBSCRIPTIONS.name(), Topics.SUBSCRIPTIONS.consumed("subscriptions-read"),
                () -> new Reader(subscriptions, deadLetters));
    }

    /** Applies each record of the topic to the store. */
    static final class Reader implements Processor<String, byte[], Void, Void> {

        private final SubscriptionStore subscriptions;
        private final DeadLetters deadLetters;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, Subscription> store;

        Reader(SubscriptionStore subscriptions, DeadLetters deadLetters) {
            this.subscriptions = subscriptions;
            this.deadLetters = deadLetters;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            Optional<RecordMetadata> where = context.recordMetadata();
            try {
                apply(record, where.map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"));
            } finally {
                where.ifPresent(m -> subscriptions.applied(m.partition(), m.offset()));
            }
        }

        private void apply(Record<String, byte[]> record, String at) {
            String id = record.key();
            if (id == null) {
                deadLetter(DeadLetters.Reason.DESERIALIZATION, "a record without a key at " + at, record);
                return;
            }
            if (record.value() == null) {
                store.delete(id);
                return;
            }
            JsonNode stored;
            try {
                stored = JsonSerde.MAPPER.readTree(record.value());
                if (stored == null || !stored.isObject()) {
                    throw new IllegalArgumentException("not a JSON object");
                }
            } catch (Exception e) {
                store.delete(id);
                deadLetter(DeadLetters.Reason.DESERIALIZATION, "cannot read subscription " + id + " at " + at
                        + ": " + e.getMessage(), record);
                return;
            }
            try {
                subscriptions.open(id, stored).ifPresentOrElse(s -> store.put(id, s), () -> store.delete(id));
            } catch (RuntimeException e) {
                store.delete(id);
                deadLetter(DeadLetters.Reason.PROCESSING, "subscription " + id + " at " + at + " left out: "
                        + e.getMessage(), record);
            }
        }

        private void deadLetter(DeadLetters.Reason reason, String detail, Record<String, byte[]> record) {
            deadLetters.send(Topics.SUBSCRIPTIONS.name(), reason, detail,
                    record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(),
                    record.headers());
        }
    }
}
