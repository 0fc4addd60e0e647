package io.dtm.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.metrics.SubscriptionMetrics;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Role;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * The subscriptions: written to the compacted topic {@code dtm.subscriptions.v1} (the system of record) and read
 * from the global store {@value SubscriptionsTopology#STORE} that {@link SubscriptionsTopology} keeps of it on every
 * instance of the alerts role (interactive queries; {@link InvalidStateStoreException}, a 503, until it is
 * restored). A write waits, a few seconds at most, until this instance's store shows it. Secrets are stored
 * encrypted ({@link SecretCipher}, the subscription id as associated data) in a {@code sealedSecret} field, never in
 * clear; {@link #open} decrypts them as the store reads them.
 */
@ApplicationScoped
public class SubscriptionStore {

    private static final Logger LOG = Logger.getLogger(SubscriptionStore.class);
    private static final String SEALED = "sealedSecret";
    /** How long a write waits for this instance's store to show it. */
    static final Duration READ_YOUR_WRITES = Duration.ofSeconds(5);

    /** A secret cannot be stored: no key to encrypt it is configured on this instance. */
    public static final class NoSecretKey extends Exception {
        NoSecretKey() {
            super("no key to encrypt subscription secrets is configured on this instance (dtm.alerts.secret-keys)");
        }
    }

    private final KafkaStreams streams;
    private final Optional<SecretCipher> cipher;
    private final SubscriptionMetrics metrics;
    private final DtmConfig dtm;
    /** The next offset to read per partition of the topic, as the store has applied it. */
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final RecordWriter writer;

    SubscriptionStore(KafkaStreams streams, RecordWriter writer, AlertsConfig config, DtmConfig dtm,
            MeterRegistry registry) {
        this.streams = streams;
        this.writer = writer;
        this.cipher = SecretCipher.fromConfig(config.secretKeys().orElse(List.of()), config.secretKeyId());
        this.metrics = new SubscriptionMetrics(registry);
        this.dtm = dtm;
    }

    void onStart(@Observes StartupEvent event) {
        if (cipher.isEmpty() && dtm.runs(Role.ALERTS)) {
            throw new IllegalStateException("the alerts role needs a key to encrypt and decrypt subscription "
                    + "secrets: set dtm.alerts.secret-keys (env DTM_ALERTS_SECRET_KEYS) to <id>:<base64 of 32 "
                    + "random bytes>, e.g. local:$(openssl rand -base64 32)");
        }
    }

    /**
     * Every subscription, by id (with secrets: for delivery, never for the API).
     *
     * @throws InvalidStateStoreException while the store is not ready
     */
    public List<Subscription> all() {
        List<Subscription> found = new ArrayList<>();
        try (KeyValueIterator<String, Subscription> it = store().all()) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        return found;
    }

    /**
     * One subscription.
     *
     * @throws InvalidStateStoreException while the store is not ready
     */
    public Optional<Subscription> get(String id) {
        return Optional.ofNullable(store().get(id));
    }

    /** How many subscriptions there are. @throws InvalidStateStoreException while the store is not ready */
    long count() {
        return store().approximateNumEntries();
    }

    private ReadOnlyKeyValueStore<String, Subscription> store() {
        return streams.store(StoreQueryParameters.fromNameAndType(SubscriptionsTopology.STORE,
                QueryableStoreTypes.<String, Subscription>keyValueStore()));
    }

    /**
     * Writes a subscription, its secret encrypted (or, with {@code null}, deletes it), waits for Kafka's
     * acknowledgement and then, {@link #READ_YOUR_WRITES} at most, for this instance's store to show it.
     *
     * @throws NoSecretKey when it has a secret and this instance has no key to encrypt it
     */
    public void put(String id, Subscription subscription) throws Exception {
        byte[] value = subscription == null ? null : JsonSerde.MAPPER.writeValueAsBytes(seal(id, subscription));
        RecordMetadata written = writer.write(Topics.SUBSCRIPTIONS.name(), id, value);
        if (!awaitApplied(written.partition(), written.offset(), READ_YOUR_WRITES)) {
            LOG.warnf("subscription %s written to %s-%d@%d but not read back within %s", id,
                    Topics.SUBSCRIPTIONS.name(), written.partition(), written.offset(), READ_YOUR_WRITES);
        }
    }

    /** Records that the store has applied the record at {@code offset} of {@code partition}. */
    void applied(int partition, long offset) {
        applied.merge(partition, offset + 1, Math::max);
        synchronized (applied) {
            applied.notifyAll();
        }
    }

    private boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (applied) {
            while (applied.getOrDefault(partition, 0L) <= offset) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                applied.wait(left);
            }
        }
        return true;
    }

    /** The record of {@code s} as stored: its secret, if any, replaced by its encryption. */
    ObjectNode seal(String id, Subscription s) throws NoSecretKey {
        ObjectNode stored = JsonSerde.MAPPER.valueToTree(s);
        stored.remove("secret");
        if (s.secret() != null) {
            SecretCipher c = cipher.orElseThrow(NoSecretKey::new);
            stored.set(SEALED, JsonSerde.MAPPER.valueToTree(c.seal(s.secret(), id)));
        }
        return stored;
    }

    /**
     * The subscription a record of the topic holds, its secret decrypted; empty (counted in
     * {@code dtm_subscriptions_skipped_total{reason}}, with a warning) when its secret cannot be decrypted.
     *
     * @throws IllegalArgumentException when it is not a subscription of its key with a known channel
     */
    Optional<Subscription> open(String id, JsonNode stored) {
        try {
            return Optional.of(unseal(id, stored));
        } catch (SecretCipher.Unsealable e) {
            metrics.skipped(e.unknownKey() ? "unknown-key" : "undecryptable");
            LOG.warnf("subscription %s on %s left out: its secret %s", id, Topics.SUBSCRIPTIONS.name(),
                    e.getMessage());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a subscription: " + e.getMessage(), e);
        }
    }

    private Subscription unseal(String id, JsonNode stored) throws Exception {
        if (!(stored instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a subscription: a JSON object is expected");
        }
        ObjectNode node = object.deepCopy();
        JsonNode sealed = node.remove(SEALED);
        if (sealed != null && !sealed.isNull()) {
            if (cipher.isEmpty()) {
                throw new SecretCipher.Unsealable("cannot be decrypted: no key is configured", true);
            }
            SecretCipher.Sealed s = JsonSerde.MAPPER.treeToValue(sealed, SecretCipher.Sealed.class);
            node.put("secret", cipher.get().open(s, id));
        } else if (node.hasNonNull("secret")) {
            LOG.warnf("subscription %s was stored with its secret in clear (before encryption); write it again "
                    + "to encrypt it", id);
        }
        Subscription subscription = JsonSerde.MAPPER.treeToValue(node, Subscription.class);
        if (!id.equals(subscription.id()) || !subscription.delivered()) {
            throw new IllegalArgumentException(id.equals(subscription.id())
                    ? "not a subscription: unknown channel " + subscription.channel()
                    : "not a subscription of its key: its id is " + subscription.id());
        }
        return subscription;
    }
}
