package io.dtm.indicators;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.events.SeriesKey;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.ingest.IngestTopology;
import io.dtm.streams.SeriesPartitioner;
import io.dtm.streams.SharedStreams;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.DeadLetterDeserializationHandler;
import io.dtm.streams.DeadLetterProcessingHandler;
import io.dtm.streams.DeadLetterProductionHandler;
import io.dtm.streams.DeadLetters;
import io.dtm.support.KafkaBroker;
import io.dtm.support.TopicReader;
import io.dtm.support.TestClock;
import io.dtm.support.TestEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against the real broker: an entry added to the catalogue computes its history when the service restarts, and an
 * entry removed from it has its values withdrawn — with the indicators role alone (history from the compacted
 * observations and the store of its repartition by series) and with the ingest role in the same application
 * (history from the vintage store).
 */
class CatalogueChangeIT {

    private static final String BEFORE = """
            indicators:
              - id: growth
                kind: yoy_growth_pct
                select: {feed: trade, reporter: %1$s}
              - id: leaving
                kind: cagr_pct
                select: {feed: trade, reporter: %1$s}
                years: 2
            """;
    private static final String AFTER = """
            indicators:
              - id: growth
                kind: yoy_growth_pct
                select: {feed: trade, reporter: %1$s}
              - id: arriving
                kind: cagr_pct
                select: {feed: trade, reporter: %1$s}
                years: 1
            """;

    @TempDir
    Path stateDir;

    private String reporter;
    /** The meters of the application last started. */
    private SimpleMeterRegistry registry;
    private boolean withIngest;
    private final String appId = "dtm-catalogue-test-" + UUID.randomUUID();

    @ParameterizedTest(name = "with the ingest role: {0}")
    @ValueSource(booleans = {false, true})
    void shouldComputeTheHistoryOfANewEntryAndWithdrawARemovedOneAtRestart(boolean withIngest) throws Exception {
        this.withIngest = withIngest;
        this.reporter = withIngest ? "NRU" : "TUV"; // codes no other test uses
        createTopics();
        try (var indicators = reader()) {
            try (KafkaStreams streams = start(BEFORE)) {
                publishThreeYearsOfTenPercentGrowth(indicators);
                awaitValue(indicators, "leaving|" + reporter + "|WLD|EXPORT|DDS|2023", 10.0);
                assertStoredWhereTheSeriesPartitionerSays(streams, "growth|" + reporter + "|WLD|EXPORT|DDS");
            }
            try (KafkaStreams streams = start(AFTER)) {
                awaitValue(indicators, "arriving|" + reporter + "|WLD|EXPORT|DDS|2022", 10.0);
                awaitValue(indicators, "arriving|" + reporter + "|WLD|EXPORT|DDS|2023", 10.0);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    indicators.poll();
                    assertEquals(true, indicators.latest.containsKey("leaving|" + reporter + "|WLD|EXPORT|DDS|2023"));
                    assertNull(indicators.latest.get("leaving|" + reporter + "|WLD|EXPORT|DDS|2023"),
                            "a tombstone for the removed entry");
                });
                // the values over one series are derived again as the task starts: the unchanged entry's are
                // there for queries and for the next input, and are not written again
                assertStoredWhereTheSeriesPartitionerSays(streams, "growth|" + reporter + "|WLD|EXPORT|DDS");
                publish("2024", 133.1);
                awaitValue(indicators, "growth|" + reporter + "|WLD|EXPORT|DDS|2024", 10.0);
                awaitValue(indicators, "arriving|" + reporter + "|WLD|EXPORT|DDS|2024", 10.0);
                for (String year : List.of("2022", "2023", "2024")) {
                    String key = "growth|" + reporter + "|WLD|EXPORT|DDS|" + year;
                    assertEquals(1, indicators.records.getOrDefault(key, 0), key + " written once");
                }
                // counted as updates in this run: the new entry's history and 2024, not the values derived again
                assertEquals(1.0, registry.get("dtm.indicator.updates").tag("indicator", "yoy_growth_pct")
                        .counter().count());
                assertEquals(3.0, registry.get("dtm.indicator.updates").tag("indicator", "cagr_pct")
                        .counter().count());
            }
        }
    }

    /**
     * The owner that interactive queries find for an output series over one series (as the history API asks) holds
     * its values: the store's partition is the one the series partitioner gives its input series.
     */
    private static void assertStoredWhereTheSeriesPartitionerSays(KafkaStreams streams, String outputSeries) {
        // a store is not queryable while its thread rebalances: asked again until it is
        await().atMost(Duration.ofSeconds(30)).ignoreException(InvalidStateStoreException.class)
                .untilAsserted(() -> assertStoredWhereTheSeriesPartitionerSaysNow(streams, outputSeries));
    }

    private static void assertStoredWhereTheSeriesPartitionerSaysNow(KafkaStreams streams, String outputSeries) {
        String[] labels = outputSeries.split("\\|", -1);
        String inputSeries = new SeriesKey("trade", labels[1], labels[2], labels[3], labels[4]).toString();
        KeyQueryMetadata where = streams.queryMetadataForKey(IndicatorsTopology.SERIES_VALUE_STORE, inputSeries + "|",
                new SeriesPartitioner<>());
        ReadOnlyKeyValueStore<String, IndicatorValue> store = streams.store(StoreQueryParameters
                .fromNameAndType(IndicatorsTopology.SERIES_VALUE_STORE, QueryableStoreTypes.<String, IndicatorValue>keyValueStore())
                .withPartition(where.partition()));
        String key = outputSeries + "#2023#" + outputSeries;
        IndicatorValue value = store.get(key);
        assertNotNull(value, key + " on partition " + where.partition());
        assertEquals(10.0, value.value(), 1e-9, key + " on partition " + where.partition());
    }

    private KafkaStreams start(String catalogueYaml) {
        Catalogue catalogue = Catalogue.parse(String.format(catalogueYaml, reporter).getBytes(StandardCharsets.UTF_8),
                "test");
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        Optional<SharedStreams.Winners> winners = withIngest
                ? Optional.of(IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                        Stores::persistentKeyValueStore, TestClock.FIXED))
                : Optional.empty();
        IndicatorsTopology.build(builder, winners, catalogue, KafkaConnection.of(KafkaBroker.bootstrapServers()),
                metrics, new IndicatorGauges(registry, 30, 1000), Stores::persistentKeyValueStore);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // an address for the interactive-query metadata only (nothing listens on it)
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix("internal.leave.group.on.close"), true);
        // the service's exception handlers: other tests write bad records to the topics this reads
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        DeadLetters.install(appId, new DeadLetters(new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()), metrics));
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.start();
        return streams;
    }

    /** 2021 to 2023 at 100, 110, 121, and the growth of 2023 seen on the indicators topic. */
    private void publishThreeYearsOfTenPercentGrowth(Reader indicators) throws Exception {
        publish("2021", 100);
        publish("2022", 110);
        publish("2023", 121);
        awaitValue(indicators, "growth|" + reporter + "|WLD|EXPORT|DDS|2023", 10.0);
    }

    private void publish(String year, double value) throws Exception {
        if (withIngest) {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                byte[] event = TestEvents.bytes(TestEvents.structured(Feed.TRADE, "urn:test:catalogue", year,
                        TestEvents.tradeData(reporter, "WLD", "EXPORT", "DDS", year, value, "USD",
                                (Integer.parseInt(year) + 1) + "-03-31")));
                producer.send(new ProducerRecord<>(Topics.TRADE.name(), null, null, TestEvents.bytes(reporter), event,
                        TestEvents.structuredHeaders())).get();
            }
            return;
        }
        Observation obs = new Observation("trade", reporter, "WLD", "EXPORT", "DDS", year, value, "USD", year + "-12-31",
                "urn:test:catalogue", year, null, null, null, null, false);
        try (KafkaProducer<String, Observation> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()), new StringSerializer(),
                Topics.OBSERVATIONS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), obs.series().withPeriod(year), obs)).get();
        }
    }

    private static void createTopics() throws Exception {
        List<NewTopic> topics = new java.util.ArrayList<>();
        for (String topic : List.of(Topics.OBSERVATIONS.name(), Topics.INDICATORS.name(), Topics.TRADE.name(),
                Topics.COMPUTE.name(), Topics.POLICY.name(), Topics.MACRO.name(), Topics.DLQ.name())) {
            boolean compacted = topic.equals(Topics.OBSERVATIONS.name()) || topic.equals(Topics.INDICATORS.name());
            topics.add(new NewTopic(topic, 3, (short) 1)
                    .configs(compacted ? Map.of("cleanup.policy", "compact") : Map.of()));
        }
        KafkaBroker.createTopics(KafkaBroker.bootstrapServers(), topics);
    }

    private static void awaitValue(Reader reader, String key, double expected) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            reader.poll();
            IndicatorValue value = reader.latest.get(key);
            assertEquals(expected, value == null ? Double.NaN : value.value(), 1e-9, key);
        });
    }

    private Reader reader() {
        return new Reader();
    }

    /** The indicators topic as a compacted view: the last value per key, {@code null} for a tombstone. */
    private static final class Reader implements AutoCloseable {
        final Map<String, IndicatorValue> latest = new HashMap<>();
        final Map<String, Integer> records = new HashMap<>();
        final KafkaConsumer<String, IndicatorValue> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                Topics.INDICATORS.valueSerde().deserializer());

        Reader() {
            consumer.subscribe(List.of(Topics.INDICATORS.name()));
        }

        void poll() {
            TopicReader.poll(consumer, Duration.ofMillis(200)).forEach(r -> {
                latest.put(r.key(), r.value());
                records.merge(r.key(), 1, Integer::sum);
            });
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
