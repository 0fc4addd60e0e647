package io.dtm;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.tradeData;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.events.RejectReason;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.Topic;
import io.dtm.streams.Topics;
import io.dtm.support.Http;
import io.dtm.support.KafkaBroker;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad records written straight to every topic the service reads, against the real broker: Kafka Streams stays
 * running and ready, each bad record lands on {@code dtm.dlq.v1} with its bytes, reason and source topic and is
 * counted, and the good records after them are still processed.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class PoisonRecordsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final byte[] NOT_JSON = "{not json".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRONG_SHAPE = "[1, 2, 3]".getBytes(StandardCharsets.UTF_8);
    /** JSON an object reads, but no rule or subscription: refused by the views of those topics. */
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private static KafkaProducer<byte[], byte[]> producer;

    @Inject
    KafkaStreams streams;

    /** A bad record written, with the dead letter expected for it. */
    private record Bad(String topic, String key, byte[] value, String reason) {
    }

    @BeforeAll
    static void startProducer() {
        producer = KafkaBroker.producer();
    }

    @AfterAll
    static void stopProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    private static void write(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private void awaitRunningAndReady() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertEquals(KafkaStreams.State.RUNNING, streams.state());
            given().get("/q/health/ready").then().statusCode(200);
        });
    }

    @Test
    void shouldDeadLetterBadRecordsOfEveryTopicItReadsAndGoOn() throws Exception {
        Http.awaitAlertRulesLoaded();
        awaitRunningAndReady();
        ScrapedMetrics before = ScrapedMetrics.scrape();
        String marker = UUID.randomUUID().toString().substring(0, 8);

        List<Bad> bad = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.read()) {
            boolean feed = Topics.feeds().contains(topic);
            boolean view = topic == Topics.ALERT_RULES || topic == Topics.SUBSCRIPTIONS;
            bad.add(new Bad(topic.name(), "poison-" + marker + "-not-json", NOT_JSON,
                    feed ? RejectReason.MALFORMED.label() : DeadLetters.Reason.DESERIALIZATION.label()));
            bad.add(new Bad(topic.name(), "poison-" + marker + "-wrong-shape", WRONG_SHAPE,
                    feed ? RejectReason.MALFORMED.label() : DeadLetters.Reason.DESERIALIZATION.label()));
            if (view) {
                bad.add(new Bad(topic.name(), "poison-" + marker + "-empty", EMPTY_OBJECT,
                        DeadLetters.Reason.PROCESSING.label()));
            }
        }
        // the delivery's reader of the alert transitions (a consumer of its own, not a stream)
        bad.add(new Bad(Topics.ALERTS.name(), "poison-" + marker + "-not-json", NOT_JSON,
                DeadLetters.Reason.DESERIALIZATION.label()));
        for (Bad b : bad) {
            write(b.topic(), b.key(), b.value());
        }

        // good records after the bad ones: events that become an indicator, a rule and a subscription read back
        String source = "urn:test:poison:" + marker;
        Http.postEvent(structured(Feed.TRADE, source, "lao-2019",
                tradeData("LAO", "WLD", "EXPORT", "DDS", "2019", 200, "USD_MN", "2020-06-01"))).statusCode(202);
        Http.postEvent(structured(Feed.TRADE, source, "lao-2020",
                tradeData("LAO", "WLD", "EXPORT", "DDS", "2020", 250, "USD_MN", "2021-06-01"))).statusCode(202);
        String rule = "poison-rule-" + marker;
        write(Topics.ALERT_RULES.name(), rule, ("""
                {"id": "%s", "source": "indicator", "severity": "info", "entry": "trade-yoy-growth",
                 "reporter": "LAO", "op": ">", "threshold": 500, "clear": 400, "forPeriods": 1}""")
                .formatted(rule).getBytes(StandardCharsets.UTF_8));
        String subscription = "poison-sub-" + marker;
        write(Topics.SUBSCRIPTIONS.name(), subscription, ("""
                {"id": "%s", "channel": "kafka", "target": "poison-test.alerts", "labels": {"rule": "%s"},
                 "createdAt": %d}""").formatted(subscription, rule, System.currentTimeMillis())
                .getBytes(StandardCharsets.UTF_8));

        try {
            try (var indicators = new TopicReader<>(Topics.INDICATORS.name(), Topics.INDICATORS.keySerde()
                    .deserializer(), Topics.INDICATORS.valueSerde().deserializer())) {
                IndicatorValue growth = indicators.await(r -> "trade-yoy-growth|LAO|WLD|EXPORT|DDS|2020"
                        .equals(r.key()) && r.value() != null && source.equals(r.value().inputs().get(0).source()),
                        PATIENCE).value();
                assertEquals(25.0, growth.value(), 1e-9);
            }
            await().atMost(PATIENCE).untilAsserted(() -> {
                given().get("/api/v1/alert-rules/" + rule).then().statusCode(200);
                given().get("/api/v1/subscriptions/" + subscription).then().statusCode(200);
            });

            Map<Bad, ConsumerRecord<byte[], byte[]>> deadLetters = new LinkedHashMap<>();
            try (var dlq = new TopicReader<>(Topics.DLQ.name(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                await().atMost(PATIENCE).until(() -> {
                    for (Bad b : bad) {
                        dlq.readFor(Duration.ofMillis(100), r -> b.topic().equals(header(r,
                                DeadLetters.SOURCE_TOPIC_HEADER)) && r.key() != null && b.key().equals(new String(
                                r.key(), StandardCharsets.UTF_8))).stream().findFirst()
                                .ifPresent(r -> deadLetters.put(b, r));
                    }
                    return deadLetters.size() == bad.size();
                });
            }
            for (Bad b : bad) {
                ConsumerRecord<byte[], byte[]> dead = deadLetters.get(b);
                String what = b.topic() + " " + b.key();
                assertArrayEquals(b.value(), dead.value(), what);
                assertEquals(b.reason(), header(dead, DeadLetters.REASON_HEADER), what);
                assertFalse(header(dead, DeadLetters.DETAIL_HEADER).isBlank(), what);
            }

            ScrapedMetrics after = ScrapedMetrics.scrape();
            for (Topic<?, ?> topic : Topics.read()) {
                if (Topics.feeds().contains(topic)) {
                    String feed = Arrays.stream(Feed.values()).filter(f -> Topics.of(f) == topic).findFirst()
                            .orElseThrow().label();
                    assertTrue(after.value("dtm_events_rejected_total", "feed", feed, "reason", "malformed")
                            - before.value("dtm_events_rejected_total", "feed", feed, "reason", "malformed") >= 2,
                            feed);
                    continue;
                }
                for (DeadLetters.Reason reason : DeadLetters.Reason.values()) {
                    long expected = bad.stream().filter(b -> b.topic().equals(topic.name())
                            && b.reason().equals(reason.label())).count();
                    double counted = after.value("dtm_records_dead_lettered_total", "topic", topic.name(), "reason",
                            reason.label()) - before.value("dtm_records_dead_lettered_total", "topic", topic.name(),
                            "reason", reason.label());
                    assertTrue(counted >= expected, topic.name() + " " + reason.label() + ": " + counted);
                }
            }
            awaitRunningAndReady();
        } finally {
            given().delete("/api/v1/subscriptions/" + subscription);
            given().delete("/api/v1/alert-rules/" + rule);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
