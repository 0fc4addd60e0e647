package io.dtm;

import static io.dtm.support.TestEvents.binaryHeaders;
import static io.dtm.support.TestEvents.bytes;
import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.tradeData;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.Topics;
import io.dtm.support.Http;
import io.dtm.support.KafkaBroker;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.dtm.support.TestEvents;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole service against a real broker: feed topics and HTTP in, observations, indicators and metrics out. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class KafkaPipelineIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static KafkaProducer<byte[], byte[]> producer;
    private final String source = "urn:test:pipeline:" + UUID.randomUUID();

    @BeforeAll
    static void startProducer() {
        producer = KafkaBroker.producer();
    }

    @AfterAll
    static void stopProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    private void publish(Feed feed, String key, Headers headers, Object value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.of(feed).name(), null, bytes(key),
                value == null ? null : bytes(value), headers)).get();
    }

    @Test
    void shouldComputeGrowthFromStructuredAndBinaryKafkaEventsAndAnHttpEvent() throws Exception {
        publish(Feed.TRADE, "k", TestEvents.structuredHeaders(), structured(Feed.TRADE, source, "kor-2023",
                tradeData("KOR", "WLD", "EXPORT", "DDS", "2023", 100, "USD_BN", "2024-05-01")));
        publish(Feed.TRADE, "k", binaryHeaders(Feed.TRADE, source, "kor-2024"),
                tradeData("KOR", "WLD", "EXPORT", "DDS", "2024", 110, "USD_BN", "2025-05-01"));
        Http.postEvent(structured(Feed.TRADE, source, "kor-2025",
                tradeData("KOR", "WLD", "EXPORT", "DDS", "2025", 121, "USD_BN", "2026-05-01"))).statusCode(202);

        try (var indicators = new TopicReader<>(Topics.INDICATORS.name(), Topics.INDICATORS.keySerde().deserializer(),
                Topics.INDICATORS.valueSerde().deserializer())) {
            for (String year : List.of("2024", "2025")) {
                IndicatorValue value = indicators.await(r -> r.key().equals(
                        "trade-yoy-growth|KOR|WLD|EXPORT|DDS|" + year), PATIENCE).value();
                assertEquals(10.0, value.value(), 1e-9, year);
                assertEquals(source, value.inputs().get(0).source());
            }
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertEquals(10.0, ScrapedMetrics.scrape().value(
                "dtm_indicator_value", "indicator", "yoy_growth_pct", "id", "trade-yoy-growth", "reporter", "KOR",
                "partner", "WLD", "flow", "EXPORT", "category", "DDS", "synthetic", "false"), 1e-9));
        ScrapedMetrics metrics = ScrapedMetrics.scrape();
        assertEquals(true, metrics.value("dtm_event_to_indicator_seconds_count") >= 1);
    }

    @Test
    void shouldSendBadRecordsToTheDeadLetterTopicAndKeepTheCountersBalanced() throws Exception {
        ScrapedMetrics before = ScrapedMetrics.scrape();
        String marker = UUID.randomUUID().toString();
        ObjectNode compute = JsonNodeFactory.instance.objectNode().put("region", "CHN")
                .put("metric", "INTELLIGENT_EFLOPS_FP16").put("period", "2025-06").put("value", 788)
                .put("unit", "EFLOPS_FP16").put("vintage", "2025-09-01");
        publish(Feed.COMPUTE, marker, new RecordHeaders(), "{not json");
        publish(Feed.COMPUTE, marker, TestEvents.structuredHeaders(), structured(Feed.COMPUTE, source, "unit",
                compute.deepCopy().put("unit", "PFLOPS")));
        publish(Feed.COMPUTE, marker, TestEvents.structuredHeaders(), structured(Feed.TRADE, source, "wrong",
                tradeData("CHN", "WLD", "EXPORT", "DDS", "2023", 1, "USD", "2024-01-01")));
        publish(Feed.COMPUTE, marker, TestEvents.structuredHeaders(), structured(Feed.COMPUTE, source, "ok", compute));
        publish(Feed.COMPUTE, marker, binaryHeaders(Feed.COMPUTE, source, "ok"), compute);

        try (var dlq = new TopicReader<>(Topics.DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(PATIENCE).until(() -> dlq.readFor(Duration.ofMillis(200), r -> isMarked(r, marker))
                    .size() == 3);
            List<String> reasons = dlq.readFor(Duration.ZERO, r -> isMarked(r, marker)).stream()
                    .map(r -> header(r, DeadLetters.REASON_HEADER)).sorted().toList();
            assertEquals(List.of("malformed", "unknown-unit", "wrong-topic"), reasons);
            ConsumerRecord<byte[], byte[]> malformed = dlq.readFor(Duration.ZERO, r -> isMarked(r, marker)
                    && header(r, DeadLetters.REASON_HEADER).equals("malformed")).get(0);
            assertEquals("{not json", new String(malformed.value(), StandardCharsets.UTF_8));
            assertEquals("dtm.compute.v1", header(malformed, DeadLetters.SOURCE_TOPIC_HEADER));
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            ScrapedMetrics after = ScrapedMetrics.scrape();
            assertEquals(5, delta(before, after, "dtm_events_received_total"));
            assertEquals(1, delta(before, after, "dtm_events_accepted_total"));
            assertEquals(3, delta(before, after, "dtm_events_rejected_total"));
            assertEquals(1, delta(before, after, "dtm_events_duplicate_total"));
            assertEquals(after.value("dtm_events_received_total", "feed", "compute"),
                    after.value("dtm_events_accepted_total", "feed", "compute")
                            + after.value("dtm_events_rejected_total", "feed", "compute")
                            + after.value("dtm_events_duplicate_total", "feed", "compute"));
        });
    }

    @Test
    void shouldReplaceAnIndicatorWhenALaterVintageRevisesItsInput() throws Exception {
        publish(Feed.TRADE, "k", TestEvents.structuredHeaders(), structured(Feed.TRADE, source, "ict-2022",
                tradeData("JPN", "WLD", "EXPORT", "ICT", "2022", 100, "USD_MN", "2023-05-01")));
        publish(Feed.TRADE, "k", TestEvents.structuredHeaders(), structured(Feed.TRADE, source, "ict-2023",
                tradeData("JPN", "WLD", "EXPORT", "ICT", "2023", 120, "USD_MN", "2024-05-01")));
        String key = "trade-yoy-growth|JPN|WLD|EXPORT|ICT|2023";
        try (var indicators = new TopicReader<>(Topics.INDICATORS.name(), Topics.INDICATORS.keySerde().deserializer(),
                Topics.INDICATORS.valueSerde().deserializer())) {
            assertEquals(20.0, indicators.await(r -> r.key().equals(key), PATIENCE).value().value(), 1e-9);

            publish(Feed.TRADE, "k", TestEvents.structuredHeaders(), structured(Feed.TRADE, source, "ict-2023-rev",
                    tradeData("JPN", "WLD", "EXPORT", "ICT", "2023", 130, "USD_MN", "2024-11-01")));

            IndicatorValue revised = indicators.await(r -> r.key().equals(key)
                    && Math.abs(r.value().value() - 30.0) < 1e-9, PATIENCE).value();
            assertEquals("ict-2023-rev", revised.inputs().get(0).id());
        }
    }

    private static boolean isMarked(ConsumerRecord<byte[], byte[]> record, String marker) {
        return record.key() != null && marker.equals(new String(record.key(), StandardCharsets.UTF_8));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static double delta(ScrapedMetrics before, ScrapedMetrics after, String name) {
        return after.value(name, "feed", "compute") - before.value(name, "feed", "compute");
    }
}
