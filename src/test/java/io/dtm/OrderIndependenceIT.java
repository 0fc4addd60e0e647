package io.dtm;

import static io.dtm.support.TestEvents.binaryHeaders;
import static io.dtm.support.TestEvents.bytes;
import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.structuredHeaders;
import static io.dtm.support.TestEvents.tradeData;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.streams.Topics;
import io.dtm.support.KafkaBroker;
import io.dtm.support.KafkaResource;
import io.dtm.support.PipelineDriver;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The order-independence property against the real broker and the running service: the same events (with
 * revisions and repeats) published in two different orders, in both CloudEvents modes, give the indicators that
 * the pipeline computes from them in order.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class OrderIndependenceIT {

    /** Two sets of reporters no other test uses: the same data is published once under each. */
    private static final List<String> FIRST = List.of("ISL", "NOR", "CHE");
    private static final List<String> SECOND = List.of("LIE", "MCO", "AND");

    @Test
    void shouldComputeTheSameIndicatorsForTwoArrivalOrdersAsForTheOrderedEvents() throws Exception {
        List<Spec> specs = specs();
        Map<String, Double> expected = inOrder(specs);
        assertTrue(expected.size() > 50, "enough values to compare: " + expected.size());

        List<Spec> first = new ArrayList<>(specs);
        Collections.shuffle(first, new Random(7));
        List<Spec> second = new ArrayList<>(specs);
        Collections.shuffle(second, new Random(11));
        Random modes = new Random(3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            String run = UUID.randomUUID().toString();
            for (Spec s : first) {
                send(producer, s.event(FIRST, "urn:test:order:a:" + run), modes.nextBoolean());
            }
            for (Spec s : second) {
                send(producer, s.event(SECOND, "urn:test:order:b:" + run), modes.nextBoolean());
            }
            producer.flush();
        }

        try (KafkaConsumer<String, IndicatorValue> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                Topics.INDICATORS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.INDICATORS.name()));
            Map<String, IndicatorValue> compacted = new TreeMap<>();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                TopicReader.poll(consumer, Duration.ofMillis(300)).forEach(r -> {
                    if (r.value() == null) {
                        compacted.remove(r.key());
                    } else {
                        compacted.put(r.key(), r.value());
                    }
                });
                assertEquals(expected, view(compacted, FIRST), "first order");
                assertEquals(expected, view(compacted, SECOND), "second order");
            });
        }
    }

    /** The values of one set of reporters, with the reporters renamed to the first set's. */
    private static Map<String, Double> view(Map<String, IndicatorValue> all, List<String> reporters) {
        Map<String, Double> values = new TreeMap<>();
        all.forEach((key, v) -> {
            int i = reporters.indexOf(v.reporter());
            if (i >= 0) {
                values.put(key.replace("|" + v.reporter() + "|", "|" + FIRST.get(i) + "|"), v.value());
            }
        });
        return values;
    }

    private static Map<String, Double> inOrder(List<Spec> specs) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "order-");
        Map<String, Double> values = new TreeMap<>();
        try (PipelineDriver pipeline = new PipelineDriver(dir)) {
            for (Spec s : specs) {
                ObjectNode event = s.event(FIRST, "urn:test:order:expected");
                pipeline.send(Feed.ofEventType(event.get("type").asText()).orElseThrow(), structuredHeaders(), event);
            }
            pipeline.indicators().forEach((k, v) -> values.put(k, v.value()));
        }
        return values;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, ObjectNode event, boolean binary)
            throws Exception {
        Feed feed = Feed.ofEventType(event.get("type").asText()).orElseThrow();
        ProducerRecord<byte[], byte[]> record = binary
                ? new ProducerRecord<>(Topics.of(feed).name(), null, bytes("k"), bytes(event.get("data")),
                        binaryHeaders(feed, event.get("source").asText(), event.get("id").asText()))
                : new ProducerRecord<>(Topics.of(feed).name(), null, bytes("k"), bytes(event), structuredHeaders());
        producer.send(record).get();
    }

    /** One event, independent of the reporter set and source it is published under. */
    private record Spec(String id, int reporter, String flow, String category, String period, double value,
            String vintage, Double growth, boolean policy) {

        ObjectNode event(List<String> reporters, String source) {
            String country = reporters.get(reporter);
            if (policy) {
                return structured(Feed.POLICY, source, id, JsonNodeFactory.instance.objectNode()
                        .put("country", country).put("measure", "DSTRI").put("effective", period)
                        .put("direction", "NEUTRAL").put("indexValue", value).put("vintage", vintage));
            }
            ObjectNode data = tradeData(country, "WLD", flow, category, period, value, "USD_MN", vintage);
            if (growth != null) {
                data.put("reportedGrowthPct", growth);
            }
            return structured(Feed.TRADE, source, id, data);
        }
    }

    /** 3 reporters × (DDS exports, services exports and imports) × 6 years in 1–2 vintages, DSTRI changes, repeats. */
    private static List<Spec> specs() {
        Random random = new Random(99);
        List<Spec> specs = new ArrayList<>();
        String[][] series = {{"EXPORT", "DDS"}, {"EXPORT", "SERVICES"}, {"IMPORT", "SERVICES"}};
        int n = 0;
        for (int r = 0; r < FIRST.size(); r++) {
            for (String[] s : series) {
                for (int year = 2018; year < 2024; year++) {
                    for (int v = 0; v < 1 + random.nextInt(2); v++) {
                        specs.add(new Spec("e" + n++, r, s[0], s[1], Integer.toString(year),
                                50 + random.nextInt(100) + random.nextDouble(), (year + 1 + v) + "-06-30",
                                random.nextInt(3) == 0 ? random.nextGaussian() * 4 : null, false));
                        if (n % 6 == 0) {
                            specs.add(specs.get(specs.size() - 1));
                        }
                    }
                }
            }
            for (int change = 0; change < 3; change++) {
                specs.add(new Spec("p" + n++, r, null, null, (2018 + 2 * change) + "-07-01", random.nextDouble(),
                        "2024-01-01", null, true));
            }
        }
        return specs;
    }
}
