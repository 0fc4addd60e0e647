package io.dtm.alerts;

import io.dtm.streams.DtmConfig;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Peers;
import io.dtm.streams.Role;
import io.dtm.streams.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * The alert rules as the REST API sees them. {@code dtm.alert-rules.v1} is the system of record: writes go there,
 * and the rules are read from {@value AlertsTopology#RULE_STORE}, which every task of the matching holds in full
 * (interactive queries on this instance). A write returns once this instance's tasks show it (at most a few
 * seconds), so that a read right after it sees it. The default rules of {@code dtm.alerts.rules} are written once,
 * when the topic has never held a record.
 */
@ApplicationScoped
public class AlertRuleBook {

    private static final Logger LOG = Logger.getLogger(AlertRuleBook.class);
    /** How long a write waits until this instance's rule stores show it. */
    private static final Duration SHOWN = Duration.ofSeconds(5);
    /** How long the first start waits until the default rules show. */
    private static final Duration DEFAULTS_SHOWN = Duration.ofSeconds(60);

    private final AlertsConfig config;
    private final DtmConfig dtm;
    private final RecordWriter writer;
    private final KafkaConnection kafka;
    private final KafkaStreams streams;
    private final Peers peers;
    private volatile boolean loaded;
    private Thread seeder;

    AlertRuleBook(AlertsConfig config, DtmConfig dtm, KafkaConnection kafka, KafkaStreams streams, Peers peers,
            RecordWriter writer) {
        this.writer = writer;
        this.config = config;
        this.dtm = dtm;
        this.kafka = kafka;
        this.streams = streams;
        this.peers = peers;
    }

    void onStart(@Observes StartupEvent event) {
        if (!dtm.runs(Role.ALERTS)) {
            return;
        }
        AlertRules defaults = AlertRules.load(config.rules()); // fails the start when the defaults are invalid
        seeder = new Thread(() -> seed(defaults), "dtm-alert-rules-defaults");
        seeder.setDaemon(true);
        seeder.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (seeder != null) {
            seeder.interrupt();
        }
    }

    private void seed(AlertRules defaults) {
        try {
            if (!everWritten()) {
                for (AlertRule rule : defaults.byId().values()) {
                    send(rule.id(), rule);
                }
                LOG.infof("wrote the %d default alert rules to %s", defaults.byId().size(),
                        Topics.ALERT_RULES.name());
                for (AlertRule rule : defaults.byId().values()) {
                    if (!awaitShown(rule.id(), rule, DEFAULTS_SHOWN)) {
                        LOG.warnf("the default alert rules are not in %s after %s", AlertsTopology.RULE_STORE,
                                DEFAULTS_SHOWN);
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.errorf(e, "cannot write the default alert rules to %s", Topics.ALERT_RULES.name());
        }
        loaded = true;
    }

    /** Whether the rules topic has ever held a record (deleted ones included); waits until the topic exists. */
    private boolean everWritten() throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.with(
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            while (true) {
                try {
                    List<PartitionInfo> partitions = consumer.partitionsFor(Topics.ALERT_RULES.name(),
                            Duration.ofSeconds(10));
                    if (!partitions.isEmpty()) {
                        return consumer.endOffsets(partitions.stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition())).toList(),
                                Duration.ofSeconds(10)).values().stream().anyMatch(offset -> offset > 0);
                    }
                } catch (RuntimeException e) {
                    LOG.infof("waiting for %s (%s)", Topics.ALERT_RULES.name(), e.getMessage());
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Whether the rules are loaded (and the defaults written where needed). */
    public boolean isLoaded() {
        return loaded;
    }

    /**
     * The rules in force, sorted by id.
     *
     * @throws InvalidStateStoreException while this instance holds no queryable task of the matching
     */
    public Map<String, AlertRule> byId() {
        Map<String, AlertRule> rules = new TreeMap<>();
        try (KeyValueIterator<String, RuleVersion> all = store(null).all()) {
            all.forEachRemaining(kv -> rules.put(kv.key, kv.value.rule()));
        }
        return rules;
    }

    /**
     * One rule.
     *
     * @throws InvalidStateStoreException while this instance holds no queryable task of the matching
     */
    public Optional<AlertRule> get(String id) {
        return Optional.ofNullable(store(null).get(id)).map(RuleVersion::rule);
    }

    /** Another instance that holds the rules, for a request this one cannot answer. */
    public Optional<HostInfo> elsewhere() {
        return streams.streamsMetadataForStore(AlertsTopology.RULE_STORE).stream().map(m -> m.hostInfo())
                .filter(host -> !host.equals(peers.self())).findFirst();
    }

    /**
     * Writes a validated rule (or, with {@code null}, deletes it), waits for Kafka's acknowledgement and then, at most
     * a few seconds, until this instance's rule stores show it.
     */
    public void put(String id, AlertRule rule) throws Exception {
        send(id, rule);
        if (!awaitShown(id, rule, SHOWN)) {
            LOG.warnf("alert rule %s written but not yet in %s after %s", id, AlertsTopology.RULE_STORE, SHOWN);
        }
    }

    private void send(String id, AlertRule rule) throws Exception {
        byte[] bytes = rule == null ? null : JsonSerde.MAPPER.writeValueAsBytes(rule);
        writer.write(Topics.ALERT_RULES.name(), id, bytes);
    }

    /** Waits until every partition of the rule store on this instance holds {@code rule} under {@code id}. */
    private boolean awaitShown(String id, AlertRule rule, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!shown(id, rule)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private boolean shown(String id, AlertRule rule) {
        boolean any = false;
        for (int partition = 0; partition < dtm.topics().partitions(); partition++) {
            RuleVersion version;
            try {
                version = store(partition).get(id);
            } catch (InvalidStateStoreException notHere) {
                continue;
            }
            any = true;
            if (!Objects.equals(version == null ? null : version.rule(), rule)) {
                return false;
            }
        }
        return any;
    }

    private ReadOnlyKeyValueStore<String, RuleVersion> store(Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, RuleVersion>> query = StoreQueryParameters
                .fromNameAndType(AlertsTopology.RULE_STORE, QueryableStoreTypes.keyValueStore());
        return streams.store(partition == null ? query : query.withPartition(partition));
    }
}
