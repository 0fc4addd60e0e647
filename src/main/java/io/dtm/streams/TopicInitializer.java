package io.dtm.streams;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Creates the service's topics at start when they are missing (compacted observations and indicators,
 * dead letters kept as configured), retrying in the background until the broker answers; ready once done. Then
 * checks the partition counts the topology relies on: a feed topic with another count than
 * {@code dtm.topics.partitions} is a warning (an extra hop); an input of the alert rules' matching
 * ({@code dtm.indicators.v1}, {@code dtm.model-releases.v1}) with another count is an error that keeps the service
 * not ready, since the rules are sent to {@code dtm.topics.partitions} partitions of the matching and the tasks of
 * the others would match against no rule.
 */
@ApplicationScoped
public class TopicInitializer {

    private static final Logger LOG = Logger.getLogger(TopicInitializer.class);
    private static final long RETRY_SECONDS = 2;

    private final DtmConfig.TopicsConfig config;
    private final KafkaConnection kafka;
    private final AtomicBoolean done = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicReference<String> mismatch =
            new java.util.concurrent.atomic.AtomicReference<>();
    private ScheduledExecutorService executor;

    TopicInitializer(DtmConfig config, KafkaConnection kafka) {
        this.config = config.topics();
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dtm-topic-initializer"));
        executor.execute(this::createOrRetry);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void createOrRetry() {
        try (Admin admin = Admin.create(kafka.with(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            for (NewTopic topic : config.create() ? newTopics() : List.<NewTopic>of()) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.infof("created topic %s", topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, Integer> feedPartitions = new java.util.TreeMap<>();
            admin.describeTopics(Topics.feeds().stream().map(Topic::name).toList()).allTopicNames().get()
                    .forEach((name, description) -> feedPartitions.put(name, description.partitions().size()));
            partitionWarnings(feedPartitions).forEach(LOG::warn);
            Map<String, Integer> alertInputs = new java.util.TreeMap<>();
            admin.describeTopics(List.of(Topics.INDICATORS.name(), Topics.MODEL_RELEASES.name())).allTopicNames()
                    .get().forEach((name, description) -> alertInputs.put(name, description.partitions().size()));
            List<String> errors = partitionErrors(alertInputs);
            if (!errors.isEmpty()) {
                errors.forEach(LOG::error);
                mismatch.set(String.join("; ", errors));
                return;
            }
            done.set(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("cannot create topics at %s yet (%s); retrying in %d s", kafka, e.getMessage(),
                    RETRY_SECONDS);
            executor.schedule(this::createOrRetry, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * A warning for each feed topic whose partition count is not {@code dtm.topics.partitions}: events are then
     * repartitioned by series to that many partitions rather than taken where they are read, and the owner of a
     * series that the query API computes may not be the one it asks.
     */
    List<String> partitionWarnings(Map<String, Integer> feedPartitions) {
        return feedPartitions.entrySet().stream().filter(e -> e.getValue() != config.partitions())
                .map(e -> String.format("feed topic %s has %d partitions but dtm.topics.partitions is %d: set "
                        + "dtm.topics.partitions to the feed topics' partition count (all feed topics alike), or "
                        + "events read from it take an extra hop and the indicator history API may ask the wrong "
                        + "instance", e.getKey(), e.getValue(), config.partitions()))
                .toList();
    }

    /**
     * An error for each input topic of the alert rules' matching whose partition count is not
     * {@code dtm.topics.partitions}.
     */
    List<String> partitionErrors(Map<String, Integer> alertInputPartitions) {
        return alertInputPartitions.entrySet().stream().filter(e -> e.getValue() != config.partitions())
                .map(e -> String.format("topic %s has %d partitions but dtm.topics.partitions is %d: the alert "
                        + "rules reach %d partitions of the matching, so alerts of the other partitions would "
                        + "never be evaluated; set dtm.topics.partitions to %d or give the topic %d partitions",
                        e.getKey(), e.getValue(), config.partitions(), config.partitions(), e.getValue(),
                        config.partitions()))
                .toList();
    }

    /** The topics this service creates, with their settings. */
    List<NewTopic> newTopics() {
        Optional<Integer> partitions = Optional.of(config.partitions());
        Optional<Short> replication = config.replicationFactor();
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.RETENTION_MS_CONFIG, "-1");
        Map<String, String> dlq = Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.dlqRetentionMs()));
        var topics = new java.util.ArrayList<NewTopic>();
        for (Topic<?, ?> feed : Topics.feeds()) {
            topics.add(new NewTopic(feed.name(), partitions, replication));
        }
        for (Topic<?, ?> t : List.of(Topics.OBSERVATIONS, Topics.INDICATORS, Topics.SUBSCRIPTIONS,
                Topics.ALERT_RULES, Topics.MODEL_RELEASES)) {
            topics.add(new NewTopic(t.name(), partitions, replication).configs(compacted));
        }
        topics.add(new NewTopic(Topics.DLQ.name(), partitions, replication).configs(dlq));
        topics.add(new NewTopic(Topics.NOTIFICATIONS_DLQ.name(), partitions, replication).configs(dlq));
        topics.add(new NewTopic(Topics.MODEL.name(), partitions, replication));
        topics.add(new NewTopic(Topics.ALERTS.name(), partitions, replication));
        return topics;
    }

    /** Whether every topic exists and their partitions are as the topology needs. */
    public boolean done() {
        return done.get();
    }

    /** Why the topics are not as the topology needs, or {@code null}. */
    public String mismatch() {
        return mismatch.get();
    }

    /** Readiness: down until the topics exist. */
    @Readiness
    @ApplicationScoped
    static class TopicsReady implements HealthCheck {

        private final TopicInitializer initializer;

        TopicsReady(TopicInitializer initializer) {
            this.initializer = initializer;
        }

        @Override
        public HealthCheckResponse call() {
            var response = HealthCheckResponse.named("dtm-topics").status(initializer.done());
            String mismatch = initializer.mismatch();
            return (mismatch == null ? response : response.withData("error", mismatch)).build();
        }
    }
}
