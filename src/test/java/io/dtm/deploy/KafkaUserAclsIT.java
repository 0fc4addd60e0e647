package io.dtm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dtm.alerts.AlertRule;
import io.dtm.alerts.AlertsTopology;
import io.dtm.alerts.IndicatorThreshold;
import io.dtm.events.Feed;
import io.dtm.indicators.Catalogue;
import io.dtm.indicators.IndicatorsTopology;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.AlertGauges;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.metrics.ModelGauges;
import io.dtm.model.ModelSpec;
import io.dtm.model.ModelTopology;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.SecuredKafkaBroker;
import io.dtm.support.TestEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KafkaUser manifests of k8s/base, applied to a real broker that authenticates with SCRAM-SHA-512 and
 * authorizes with the StandardAuthorizer (nothing is allowed that no ACL allows): every role runs its Kafka
 * Streams sub-topology and its own clients under its own principal, and a feed publisher may write to the feed
 * topics and nothing else.
 */
class KafkaUserAclsIT {

    private static final Path USERS = Path.of("k8s/base/kafkausers.yaml");
    private static final Path TOPICS = Path.of("k8s/base/kafkatopics.yaml");
    private static final List<String> ROLES = List.of("ingest", "indicators", "model", "alerts");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static SecuredKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBrokerAndApplyTheManifests() throws Exception {
        broker = SecuredKafkaBroker.start();
        broker.apply(USERS, TOPICS);
        admin = Admin.create(broker.adminSettings());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldGiveEveryPrincipalExactlyTheAclsOfItsManifest() throws Exception {
        Map<String, Set<String>> manifest = manifestAcls();
        assertEquals(Set.of("dtm-ingest", "dtm-indicators", "dtm-model", "dtm-alerts", "dtm-feed"),
                manifest.keySet());
        for (var user : manifest.entrySet()) {
            AclBindingFilter ofPrincipal = new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:" + user.getKey(), null, AclOperation.ANY,
                            AclPermissionType.ANY));
            Set<String> onBroker = admin.describeAcls(ofPrincipal).values().get().stream()
                    .map(KafkaUserAclsIT::describe).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(user.getValue(), onBroker, "ACLs of " + user.getKey());
        }
    }

    @Test
    void shouldRunEveryRoleUnderItsOwnPrincipalFromFeedToAlert() throws Exception {
        Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-acl-state-");
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        Map<String, KafkaStreams> streams = new HashMap<>();
        try {
            for (String role : ROLES) {
                KafkaStreams app = new KafkaStreams(topology(role), new StreamsConfig(streamsConfig(role, state)));
                app.setUncaughtExceptionHandler(e -> {
                    failures.put(role, e);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
                streams.put(role, app);
                app.start();
            }
            awaitRunning(streams, failures);

            // a feed publisher sends two years of one trade series: ingest resolves them to observations,
            // indicators computes their growth, alerts fires on it, model takes the series as a lagged term
            try (KafkaProducer<byte[], byte[]> feed = producer("dtm-feed")) {
                for (String[] year : new String[][] {{"2022", "100"}, {"2023", "110"}}) {
                    byte[] event = TestEvents.bytes(TestEvents.structured(Feed.TRADE, "urn:test:acl", "e" + year[0],
                            TestEvents.tradeData("KOR", "WLD", "EXPORT", "ICT", year[0], Double.parseDouble(year[1]),
                                    "USD", "2024-01-01")));
                    feed.send(new ProducerRecord<>(Topics.TRADE.name(), null, (byte[]) null, event,
                            TestEvents.structuredHeaders())).get();
                }
            }
            assertTrue(await(Topics.OBSERVATIONS.name(), 2, failures) >= 2, "ingest wrote the observations");
            assertTrue(await(Topics.INDICATORS.name(), 1, failures) >= 1, "indicators wrote a value");
            assertTrue(await(Topics.ALERTS.name(), 1, failures) >= 1, "alerts wrote a transition");
            awaitCommitted("dtm-model", Set.of(Topics.OBSERVATIONS.name(), "dtm-model-model-by-entity-repartition"),
                    failures);
            // a repartition topic is purged once read (deleteRecords: Delete on the internal topics)
            awaitPurged("dtm-model-model-by-entity-repartition", failures);

            // a restarted pod on an empty state directory restores its stores from the changelogs
            streams.remove("ingest").close(new KafkaStreams.CloseOptions().leaveGroup(true)
                    .timeout(Duration.ofSeconds(10)));
            Map<String, Object> restarted = streamsConfig("ingest", state.resolve("restarted"));
            KafkaStreams ingest = new KafkaStreams(topology("ingest"), new StreamsConfig(restarted));
            ingest.setUncaughtExceptionHandler(e -> {
                failures.put("ingest", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.put("ingest", ingest);
            ingest.start();
            awaitRunning(streams, failures);

            assertEquals(Map.of(), failures, "no stream thread failed");
            streams.forEach((role, app) -> assertEquals(KafkaStreams.State.RUNNING, app.state(), role));
        } finally {
            streams.values().forEach(app -> app.close(Duration.ofSeconds(10)));
        }
    }

    @Test
    void shouldLetTheAlertsRoleKeepItsRulesSubscriptionsAndNotificationPositions() throws Exception {
        KafkaConnection alerts = KafkaConnection.of(broker.bootstrapServers(), broker.clientSettings("dtm-alerts"));
        // the systems of record: written by the API (idempotent producer), read from their beginning on assigned
        // partitions without a group (the rules' stream is the topology's; the subscriptions' global consumer)
        try (KafkaProducer<byte[], byte[]> api = new KafkaProducer<>(alerts.with(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
                KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(alerts.with(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            for (String topic : List.of(Topics.ALERT_RULES.name(), Topics.SUBSCRIPTIONS.name())) {
                byte[] value = ("{\"id\":\"acl-test\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                api.send(new ProducerRecord<>(topic, "acl-test".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        value)).get(30, java.util.concurrent.TimeUnit.SECONDS);
                List<org.apache.kafka.common.TopicPartition> partitions = reader.partitionsFor(topic).stream()
                        .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
                reader.assign(partitions);
                reader.seekToBeginning(partitions);
                List<byte[]> read = new java.util.ArrayList<>();
                Awaitility.await("the record written to " + topic + " read back").atMost(PATIENCE)
                        .until(() -> {
                            reader.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                            return read.stream().anyMatch(v -> java.util.Arrays.equals(v, value));
                        });
            }
        }
        // the notification dispatcher: one consumer group reading the alerts, committing what it delivered
        try (KafkaConsumer<byte[], byte[]> dispatcher = new KafkaConsumer<>(alerts.with(
                ConsumerConfig.GROUP_ID_CONFIG, "dtm-notifier",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            dispatcher.subscribe(List.of(Topics.ALERTS.name()));
            dispatcher.poll(Duration.ofSeconds(2));
            dispatcher.commitSync();
        }
        // and the dead letters of the notifications, by an idempotent producer
        try (KafkaProducer<String, byte[]> deadLetters = new KafkaProducer<>(alerts.with(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            deadLetters.send(new ProducerRecord<>(Topics.NOTIFICATIONS_DLQ.name(), "k", new byte[] {1})).get();
        }
    }

    @Test
    void shouldLetTheIngestRolePublishHttpEventsInTransactions() throws Exception {
        Map<String, Object> settings = new HashMap<>(broker.clientSettings("dtm-ingest"));
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dtm-http-ingest-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> http = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            http.initTransactions();
            http.beginTransaction();
            http.send(new ProducerRecord<>(Topics.MACRO.name(), new byte[] {1}));
            http.send(new ProducerRecord<>(Topics.DLQ.name(), new byte[] {2}));
            http.commitTransaction();
        }
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "someone-else-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> other = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            assertInstanceOf(TransactionalIdAuthorizationException.class,
                    assertThrows(Exception.class, other::initTransactions));
        }
    }

    @Test
    void shouldLetAFeedPublisherWriteToTheFeedTopicsOnly() throws Exception {
        for (var feed : Topics.feeds()) {
            try (KafkaProducer<byte[], byte[]> producer = producer("dtm-feed")) {
                producer.send(new ProducerRecord<>(feed.name(), new byte[] {1})).get();
            }
        }
        for (String topic : List.of(Topics.OBSERVATIONS.name(), Topics.INDICATORS.name(), Topics.ALERT_RULES.name(),
                Topics.DLQ.name(), "dtm-ingest-observation-vintage-store-changelog",
                "dtm-indicators-indicators-by-group-repartition")) {
            assertDenied(TopicAuthorizationException.class, "dtm-feed", topic);
        }
        // nor read a feed back
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(withUser("dtm-feed",
                ConsumerConfig.GROUP_ID_CONFIG, "dtm-ingest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            reader.subscribe(List.of(Topics.TRADE.name()));
            Exception denied = assertThrows(Exception.class, () -> reader.poll(Duration.ofSeconds(10)));
            assertTrue(denied instanceof TopicAuthorizationException || denied instanceof GroupAuthorizationException,
                    "reading is denied: " + denied);
        }
    }

    @Test
    void shouldKeepEachRoleOffTheTopicsOfTheOthers() throws Exception {
        assertDenied(TopicAuthorizationException.class, "dtm-model", Topics.INDICATORS.name());
        assertDenied(TopicAuthorizationException.class, "dtm-indicators", Topics.OBSERVATIONS.name());
        assertDenied(TopicAuthorizationException.class, "dtm-alerts", Topics.TRADE.name());
        assertDenied(TopicAuthorizationException.class, "dtm-ingest", "dtm-model-model-by-entity-repartition");
    }

    // --- the roles ---------------------------------------------------------------------------------------------

    private static org.apache.kafka.streams.Topology topology(String role) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-" + role);
        switch (role) {
            case "ingest" -> IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                    Stores::persistentKeyValueStore, java.time.Clock.systemUTC());
            case "indicators" -> IndicatorsTopology.build(builder, Catalogue.load("classpath:indicators.yaml"),
                    KafkaConnection.of(broker.bootstrapServers(), broker.clientSettings("dtm-indicators")), metrics,
                    new IndicatorGauges(registry, 30, 10_000), Stores::persistentKeyValueStore);
            case "model" -> ModelTopology.build(builder, ModelSpec.load("classpath:models-six-terms.yaml").stream()
                    .collect(Collectors.toMap(ModelSpec::name, Function.identity())), metrics,
                    new ModelGauges(registry), Stores::persistentKeyValueStore);
            case "alerts" -> {
                AlertRule anyGrowth = new IndicatorThreshold("acl-any-trade-growth", "indicator", "info",
                        "any trade growth at all", "country", null, "trade-yoy-growth", null, null, null, null,
                        "value", ">", -1e9, -1e9, 1);
                assertEquals(List.of(), anyGrowth.problems());
                try (KafkaProducer<String, byte[]> rules = new KafkaProducer<>(withUser("dtm-alerts",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(),
                        new ByteArraySerializer())) {
                    rules.send(new ProducerRecord<>(Topics.ALERT_RULES.name(), anyGrowth.id(),
                            JsonSerde.MAPPER.writeValueAsBytes(anyGrowth))).get();
                }
                AlertsTopology.build(builder, 3, new AlertGauges(registry), Stores::persistentKeyValueStore);
            }
            default -> throw new IllegalArgumentException(role);
        }
        return builder.build();
    }

    private static Map<String, Object> streamsConfig(String role, Path state) throws IOException {
        Map<String, Object> config = new HashMap<>(broker.clientSettings("dtm-" + role));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dtm-" + role);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, state.resolve(role).toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        config.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, 200);
        // a member that went away without leaving is dropped after this (the restart below)
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        return config;
    }

    private static void awaitRunning(Map<String, KafkaStreams> streams, Map<String, Throwable> failures)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (streams.values().stream().anyMatch(s -> s.state() != KafkaStreams.State.RUNNING)) {
            assertEquals(Map.of(), failures, "no stream thread failed while starting");
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not all roles RUNNING: " + streams.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().state())));
            }
            Thread.sleep(100);
        }
    }

    // --- clients -----------------------------------------------------------------------------------------------

    private static Map<String, Object> withUser(String user, Object... settings) throws IOException {
        return KafkaConnection.of(broker.bootstrapServers(), broker.clientSettings(user)).with(settings);
    }

    private static KafkaProducer<byte[], byte[]> producer(String user) throws IOException {
        return new KafkaProducer<>(withUser(user, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void assertDenied(Class<? extends Exception> expected, String user, String topic)
            throws IOException {
        try (KafkaProducer<byte[], byte[]> producer = producer(user)) {
            ExecutionException denied = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(topic, new byte[] {1})).get());
            assertInstanceOf(expected, denied.getCause(), user + " writing to " + topic);
        }
    }

    /** Waits until {@code topic} holds at least {@code count} committed records; returns how many it holds. */
    private static long await(String topic, long count, Map<String, Throwable> failures) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, Object> settings = new HashMap<>(broker.adminSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long seen = 0;
            while (seen < count && System.nanoTime() < deadline) {
                assertEquals(Map.of(), failures, "no stream thread failed");
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                }
            }
            return seen;
        }
    }

    /** Waits until the consumer group has committed an offset past 0 on a partition of each of {@code topics}. */
    private static void awaitCommitted(String group, Set<String> topics, Map<String, Throwable> failures)
            throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Set<String> committed = Set.of();
        while (!committed.containsAll(topics)) {
            assertEquals(Map.of(), failures, "no stream thread failed");
            if (System.nanoTime() > deadline) {
                throw new AssertionError(group + " committed on " + committed + ", not on all of " + topics);
            }
            Thread.sleep(200);
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            committed = offsets.entrySet().stream().filter(e -> e.getValue() != null && e.getValue().offset() > 0)
                    .map(e -> e.getKey().topic()).collect(Collectors.toSet());
        }
    }

    /** Waits until records of {@code topic} were deleted (its earliest offset past 0 on some partition). */
    private static void awaitPurged(String topic, Map<String, Throwable> failures) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<TopicPartition, OffsetSpec> earliest = admin.describeTopics(List.of(topic)).allTopicNames().get()
                .get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.earliest()));
        while (admin.listOffsets(earliest).all().get().values().stream().allMatch(o -> o.offset() == 0)) {
            assertEquals(Map.of(), failures, "no stream thread failed");
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + " was not purged");
            }
            Thread.sleep(200);
        }
    }

    // --- the manifest ------------------------------------------------------------------------------------------

    /** Each KafkaUser's ACLs as "resource-type pattern name operation permission host", read independently. */
    private static Map<String, Set<String>> manifestAcls() throws IOException {
        Map<String, Set<String>> acls = new HashMap<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(USERS.toFile())) {
            while (docs.hasNext()) {
                JsonNode user = docs.next();
                if (user == null || !"KafkaUser".equals(user.path("kind").asText())) {
                    continue;
                }
                Set<String> of = new TreeSet<>();
                for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                    JsonNode r = acl.path("resource");
                    for (JsonNode operation : acl.path("operations")) {
                        of.add(String.join(" ", r.path("type").asText().toLowerCase(Locale.ROOT),
                                r.path("patternType").asText("literal"), r.path("name").asText(),
                                operation.asText().toLowerCase(Locale.ROOT), "allow", "*"));
                    }
                }
                acls.put(user.path("metadata").path("name").asText(), of);
            }
        }
        return acls;
    }

    private static String describe(AclBinding binding) {
        String type = switch (binding.pattern().resourceType()) {
            case TRANSACTIONAL_ID -> "transactionalid";
            default -> binding.pattern().resourceType().name().toLowerCase(Locale.ROOT);
        };
        String pattern = switch (binding.pattern().patternType()) {
            case PREFIXED -> "prefix";
            default -> binding.pattern().patternType().name().toLowerCase(Locale.ROOT);
        };
        return String.join(" ", type, pattern, binding.pattern().name(),
                binding.entry().operation().name().replace("_", "").toLowerCase(Locale.ROOT),
                binding.entry().permissionType().name().toLowerCase(Locale.ROOT), binding.entry().host());
    }
}
