package io.dtm.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.metrics.SubscriptionMetrics;
import io.dtm.streams.CompactedTopicView;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Role;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The subscriptions, kept in the compacted topic {@code dtm.subscriptions.v1} (the system of record) and read
 * back into memory from its beginning, so that every instance sees every subscription. A write is applied to
 * this instance's view as soon as Kafka acknowledges it. Secrets are stored encrypted ({@link SecretCipher}, the
 * subscription id as associated data) in a {@code sealedSecret} field, never in clear; a record whose secret
 * cannot be decrypted is left out with a warning and counted ({@code dtm_subscriptions_skipped_total{reason}}).
 * A record that is not a subscription of its key with a known channel is left out and dead-lettered.
 */
@ApplicationScoped
public class SubscriptionStore {

    private static final Logger LOG = Logger.getLogger(SubscriptionStore.class);
    private static final String SEALED = "sealedSecret";

    /** A secret cannot be stored: no key to encrypt it is configured on this instance. */
    public static final class NoSecretKey extends Exception {
        NoSecretKey() {
            super("no key to encrypt subscription secrets is configured on this instance (dtm.alerts.secret-keys)");
        }
    }

    private final CompactedTopicView<ObjectNode> view;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private final Optional<SecretCipher> cipher;
    private final SubscriptionMetrics metrics;
    private final DtmConfig dtm;

    SubscriptionStore(KafkaConnection kafka, AlertsConfig config, DtmConfig dtm, MeterRegistry registry,
            DeadLetters deadLetters) {
        this.cipher = SecretCipher.fromConfig(config.secretKeys().orElse(List.of()), config.secretKeyId());
        this.metrics = new SubscriptionMetrics(registry);
        this.dtm = dtm;
        this.view = new CompactedTopicView<>(Topics.SUBSCRIPTIONS.name(), ObjectNode.class, kafka, this::read,
                deadLetters);
    }

    void onStart(@Observes StartupEvent event) {
        if (cipher.isEmpty() && dtm.runs(Role.ALERTS)) {
            throw new IllegalStateException("the alerts role needs a key to encrypt and decrypt subscription "
                    + "secrets: set dtm.alerts.secret-keys (env DTM_ALERTS_SECRET_KEYS) to <id>:<base64 of 32 "
                    + "random bytes>, e.g. local:$(openssl rand -base64 32)");
        }
        if (dtm.runs(Role.ALERTS)) {
            view.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        view.stop();
    }

    /** Every subscription (with secrets: for delivery, never for the API). */
    public List<Subscription> all() {
        return byId.values().stream().sorted(Comparator.comparing(Subscription::id)).toList();
    }

    public Optional<Subscription> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Writes a subscription, its secret encrypted (or, with {@code null}, deletes it), and waits for Kafka's
     * acknowledgement.
     *
     * @throws NoSecretKey when it has a secret and this instance has no key to encrypt it
     */
    public void put(String id, Subscription subscription) throws Exception {
        view.put(id, subscription == null ? null : seal(id, subscription));
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

    /** Applies a record read (or written): the subscription with its secret decrypted, or left out. */
    private void read(String id, ObjectNode stored) {
        if (stored == null) {
            byId.remove(id);
            return;
        }
        try {
            byId.put(id, open(id, stored));
        } catch (SecretCipher.Unsealable e) {
            byId.remove(id);
            metrics.skipped(e.unknownKey() ? "unknown-key" : "undecryptable");
            LOG.warnf("subscription %s on %s left out: its secret %s", id, Topics.SUBSCRIPTIONS.name(),
                    e.getMessage());
        } catch (Exception e) {
            byId.remove(id);
            throw new IllegalArgumentException("not a subscription: " + e.getMessage(), e);
        }
    }

    private Subscription open(String id, ObjectNode stored) throws Exception {
        ObjectNode node = stored.deepCopy();
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
                    ? "unknown channel " + subscription.channel() : "its id is " + subscription.id());
        }
        return subscription;
    }
}
