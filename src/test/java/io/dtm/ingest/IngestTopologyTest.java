package io.dtm.ingest;

import static io.dtm.support.TestEvents.binaryHeaders;
import static io.dtm.support.TestEvents.bytes;
import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.structuredHeaders;
import static io.dtm.support.TestEvents.tradeData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.events.RejectReason;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.Drivers;
import io.dtm.support.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTopologyTest {

    @TempDir
    Path stateDir;

    private SimpleMeterRegistry registry;
    private TopologyTestDriver driver;
    private final Map<Feed, TestInputTopic<byte[], byte[]>> feeds = new EnumMap<>(Feed.class);
    private TestOutputTopic<String, Observation> observations;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-test");
        IngestTopology.build(builder, new DtmMetrics(registry), Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                Stores::persistentKeyValueStore, TestClock.FIXED);
        driver = Drivers.of(builder.build(), stateDir);
        for (Feed feed : Feed.values()) {
            var topic = Topics.of(feed);
            feeds.put(feed, driver.createInputTopic(topic.name(), topic.keySerde().serializer(),
                    topic.valueSerde().serializer()));
        }
        observations = driver.createOutputTopic(Topics.OBSERVATIONS.name(),
                Topics.OBSERVATIONS.keySerde().deserializer(), Topics.OBSERVATIONS.valueSerde().deserializer());
        dlq = driver.createOutputTopic(Topics.DLQ.name(), Topics.DLQ.keySerde().deserializer(),
                Topics.DLQ.valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(Feed feed, Headers headers, Object value) {
        feeds.get(feed).pipeInput(new TestRecord<>(bytes("k"), value == null ? null : bytes(value), headers));
    }

    private void sendTrade(String source, String id, String period, double value, String vintage) {
        send(Feed.TRADE, structuredHeaders(), structured(Feed.TRADE, source, id,
                tradeData("CHN", "WLD", "EXPORT", "DDS", period, value, "USD_BN", vintage)));
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldPublishStructuredEventAsObservationKeyedBySeriesAndPeriodInUsd() {
        sendTrade("urn:test", "e1", "2023", 385.9, "2024-03-01");

        var out = observations.readKeyValuesToList();
        assertEquals(1, out.size());
        assertEquals("trade|CHN|WLD|EXPORT|DDS|2023", out.get(0).key);
        Observation obs = out.get(0).value;
        assertEquals(385.9e9, obs.value(), 1e-3);
        assertEquals("USD", obs.unit());
        assertEquals("2024-03-01", obs.vintage());
        assertEquals("urn:test", obs.source());
        assertEquals("e1", obs.id());
    }

    @Test
    void shouldPublishBinaryModeEventLikeTheStructuredOne() {
        var data = JsonNodeFactory.instance.objectNode().put("country", "JPN").put("indicator", "GDP_USD")
                .put("period", "2023").put("value", 4.2e12).put("unit", "USD").put("vintage", "2024-07-01");
        send(Feed.MACRO, binaryHeaders(Feed.MACRO, "urn:test", "b1"), data);

        var out = observations.readKeyValuesToList();
        assertEquals(1, out.size());
        assertEquals("macro|JPN|||GDP_USD|2023", out.get(0).key);
        assertEquals(4.2e12, out.get(0).value.value());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void shouldSendBadRecordToDeadLettersWithOriginalBytesHeadersAndReason() {
        byte[] original = bytes(structured(Feed.TRADE, "urn:test", "bad1",
                tradeData("CHN", "WLD", "EXPORT", "DDS", "2023-13", -1, "EUR", "2024-03-01")));
        Headers headers = new RecordHeaders().add("content-type", bytes("application/cloudevents+json"))
                .add("traceparent", bytes("00-abc-def-01"));
        feeds.get(Feed.TRADE).pipeInput(new TestRecord<>(bytes("key1"), original, headers));

        assertTrue(observations.isEmpty());
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertArrayEquals(original, dead.value());
        assertArrayEquals(bytes("key1"), dead.key());
        assertEquals("invalid-field", header(dead.headers(), DeadLetters.REASON_HEADER));
        String detail = header(dead.headers(), DeadLetters.DETAIL_HEADER);
        assertTrue(detail.contains("data.period") && detail.contains("data.value") && detail.contains("data.unit"),
                detail);
        assertEquals("dtm.trade.v1", header(dead.headers(), DeadLetters.SOURCE_TOPIC_HEADER));
        assertEquals("00-abc-def-01", header(dead.headers(), "traceparent"));
        assertEquals(1, count("dtm.events.rejected", "feed", "trade", "reason", "invalid-field"));
    }

    @Test
    void shouldRejectGarbageAndEmptyRecordsWithoutStoppingTheStream() {
        send(Feed.COMPUTE, new RecordHeaders(), "\u0000\u0001 not json");
        send(Feed.COMPUTE, new RecordHeaders(), null);
        sendTrade("urn:test", "after-garbage", "2023", 1, "2024-01-01");

        assertEquals(2, dlq.readRecordsToList().size());
        assertEquals(2, count("dtm.events.rejected", "feed", "compute", "reason", "malformed"));
        assertEquals(1, observations.readRecordsToList().size(), "the stream goes on after bad records");
    }

    @Test
    void shouldRejectEventOnAnotherFeedsTopicAsWrongTopic() {
        send(Feed.POLICY, structuredHeaders(), structured(Feed.TRADE, "urn:test", "wt",
                tradeData("CHN", "WLD", "EXPORT", "DDS", "2023", 1, "USD", "2024-01-01")));

        assertEquals("wrong-topic", header(dlq.readRecord().headers(), DeadLetters.REASON_HEADER));
        assertEquals(1, count("dtm.events.rejected", "feed", "policy", "reason", "wrong-topic"));
    }

    @Test
    void shouldDropRepeatedSourceAndIdEvenWithOtherContent() {
        sendTrade("urn:test", "dup", "2023", 1, "2024-01-01");
        sendTrade("urn:test", "dup", "2023", 2, "2024-06-01");
        send(Feed.TRADE, binaryHeaders(Feed.TRADE, "urn:test", "dup"),
                tradeData("CHN", "WLD", "EXPORT", "DDS", "2023", 3, "USD", "2025-01-01"));

        assertEquals(List.of(1e9), observations.readValuesToList().stream().map(Observation::value).toList());
        assertEquals(2, count("dtm.events.duplicate", "feed", "trade"));
        assertEquals(1, count("dtm.events.accepted", "feed", "trade"));
    }

    @Test
    void shouldForgetEventIdsAfterTheRetentionAndResolveALateRepeatByItsVintage() {
        sendTrade("urn:test", "late", "2023", 1, "2024-01-01");
        driver.advanceWallClockTime(Duration.ofDays(31));
        sendTrade("urn:test", "late", "2023", 1, "2024-01-01");

        assertEquals(1, observations.readRecordsToList().size());
        assertEquals(0, count("dtm.events.duplicate", "feed", "trade"));
        assertEquals(1, count("dtm.observations.stale", "feed", "trade"));
    }

    @Test
    void shouldRememberAtMostTheCappedEventIdsOfAPeriodAndTakeALateRepeatOfAForgottenOneAsStale() {
        sendTrade("urn:test", "first", "2023", 1, "2024-06-01");
        for (int i = 0; i < 64; i++) { // older vintages: stale, each remembered, until "first" is forgotten
            driver.advanceWallClockTime(Duration.ofMillis(1));
            sendTrade("urn:test", "older-" + i, "2023", 2, "2024-01-01");
        }
        sendTrade("urn:test", "older-63", "2023", 2, "2024-01-01");
        sendTrade("urn:test", "first", "2023", 1, "2024-06-01");

        assertEquals(List.of(1e9), observations.readValuesToList().stream().map(Observation::value).toList());
        assertEquals(1, count("dtm.events.duplicate", "feed", "trade"), "older-63 is still remembered");
        assertEquals(66, count("dtm.events.accepted", "feed", "trade"), "first was forgotten");
        assertEquals(65, count("dtm.observations.stale", "feed", "trade"));
        VintageCell cell = driver.<String, VintageCell>getKeyValueStore(IngestTopology.VINTAGE_STORE)
                .get("trade|CHN|WLD|EXPORT|DDS|2023");
        assertEquals(64, cell.seen().size());
        assertTrue(cell.seen().containsKey(IngestTopology.eventKey("urn:test", "first")), "remembered again");
        assertFalse(cell.seen().containsKey(IngestTopology.eventKey("urn:test", "older-0")), "the earliest forgotten");
    }

    @Test
    void shouldTakeAnIdReusedForAnotherPeriodAsAnEventOfItsOwn() {
        sendTrade("urn:test", "reused", "2023", 1, "2024-01-01");
        sendTrade("urn:test", "reused", "2022", 2, "2024-01-01");

        assertEquals(2, observations.readRecordsToList().size());
        assertEquals(0, count("dtm.events.duplicate", "feed", "trade"));
        assertEquals(2, count("dtm.events.accepted", "feed", "trade"));
    }

    @Test
    void shouldReplaceValueWithLaterVintageAndIgnoreEqualOrOlderOnes() {
        sendTrade("urn:test", "v1", "2023", 100, "2024-01-01");
        sendTrade("urn:test", "v2", "2023", 110, "2024-06-01");
        sendTrade("urn:test", "v0", "2023", 90, "2023-06-01");
        sendTrade("urn:test", "a-smaller-id", "2023", 95, "2024-06-01");

        List<Observation> out = observations.readValuesToList();
        assertEquals(List.of(100e9, 110e9), out.stream().map(Observation::value).toList());
        assertEquals(1, count("dtm.observations.revised", "feed", "trade"));
        assertEquals(2, count("dtm.observations.stale", "feed", "trade"));
    }

    @Test
    void shouldGiveATieOfVintagesToTheGreaterSourceAndIdWhateverTheOrder() {
        sendTrade("urn:b", "x", "2023", 2, "2024-01-01");
        sendTrade("urn:a", "y", "2023", 1, "2024-01-01");
        assertEquals(List.of(2e9), observations.readValuesToList().stream().map(Observation::value).toList());
    }

    @Test
    void shouldBalanceReceivedAgainstAcceptedRejectedAndDuplicatesPerFeed() {
        sendTrade("urn:test", "ok1", "2023", 1, "2024-01-01");
        sendTrade("urn:test", "ok2", "2023", 2, "2023-01-01");
        sendTrade("urn:test", "ok1", "2023", 1, "2024-01-01");
        send(Feed.TRADE, new RecordHeaders(), "{");
        send(Feed.TRADE, structuredHeaders(), structured(Feed.TRADE, "urn:test", "u",
                tradeData("CHN", "WLD", "EXPORT", "DDS", "2023", 1, "FURLONGS", "2024-01-01")));

        double received = count("dtm.events.received", "feed", "trade");
        double accepted = count("dtm.events.accepted", "feed", "trade");
        double duplicates = count("dtm.events.duplicate", "feed", "trade");
        double rejected = registry.find("dtm.events.rejected").tag("feed", "trade").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertEquals(5, received);
        assertEquals(2, accepted);
        assertEquals(1, duplicates);
        assertEquals(2, rejected);
        assertEquals(1, count("dtm.events.rejected", "feed", "trade", "reason", "unknown-unit"));
    }

    @Test
    void shouldDeadLetterImplausibleAndAmbiguousEventsAndKeepTheCountersBalanced() {
        sendTrade("urn:test", "ok", "2023", 1, "2024-01-01");
        sendTrade("urn:test", "frozen", "2023", 9, "9999-12-31"); // would win every later revision
        String twice = structured(Feed.TRADE, "urn:test", "twice", tradeData("CHN", "WLD", "EXPORT", "DDS", "2024", 1,
                "USD_BN", "2025-01-01")).toString().replace("\"period\":\"2024\"",
                        "\"period\":\"2024\",\"period\":\"2022\"");
        feeds.get(Feed.TRADE).pipeInput(new TestRecord<>(bytes("k"), twice.getBytes(StandardCharsets.UTF_8),
                structuredHeaders()));
        // binary-mode headers of a trade event over a structured-mode event in the body
        send(Feed.TRADE, binaryHeaders(Feed.TRADE, "urn:test", "mixed"), structured(Feed.TRADE, "urn:test", "mixed",
                tradeData("CHN", "WLD", "EXPORT", "DDS", "2021", 1, "USD_BN", "2025-01-01")));

        assertEquals(List.of("trade|CHN|WLD|EXPORT|DDS|2023"),
                observations.readKeyValuesToList().stream().map(kv -> kv.key).toList());
        List<String> reasons = dlq.readRecordsToList().stream()
                .map(r -> header(r.headers(), DeadLetters.REASON_HEADER)).toList();
        assertEquals(List.of("invalid-field", "malformed", "malformed"), reasons);
        double rejected = registry.find("dtm.events.rejected").tag("feed", "trade").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertEquals(4, count("dtm.events.received", "feed", "trade"));
        assertEquals(count("dtm.events.received", "feed", "trade"), count("dtm.events.accepted", "feed", "trade")
                + rejected + count("dtm.events.duplicate", "feed", "trade"));
        assertEquals(3, rejected);
    }

    @Test
    void shouldRegisterEveryCounterAtZeroForItsKnownLabels() {
        for (Feed feed : Feed.values()) {
            assertEquals(0, registry.get("dtm.events.received").tag("feed", feed.label()).counter().count());
            for (RejectReason reason : RejectReason.values()) {
                assertEquals(0, registry.get("dtm.events.rejected").tags("feed", feed.label(), "reason",
                        reason.label()).counter().count());
            }
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode retraction(String id, String period, String vintage) {
        var event = structured(Feed.TRADE, "urn:test", id, JsonNodeFactory.instance.objectNode().put("feed", "trade")
                .put("reporter", "CHN").put("partner", "WLD").put("flow", "EXPORT").put("category", "DDS")
                .put("period", period).put("vintage", vintage));
        event.put("type", EventDecoder.RETRACTION);
        return event;
    }

    @Test
    void shouldWriteATombstoneWhenARetractionWithdrawsTheObservation() {
        sendTrade("urn:test", "o1", "2023", 100, "2024-01-01");
        send(Feed.TRADE, structuredHeaders(), retraction("r-old", "2023", "2023-06-01")); // stale
        send(Feed.TRADE, structuredHeaders(), retraction("r1", "2023", "2024-01-01"));
        send(Feed.TRADE, structuredHeaders(), retraction("r1", "2023", "2024-01-01")); // repeat
        send(Feed.TRADE, structuredHeaders(), retraction("r2", "2023", "2024-02-01")); // already withdrawn
        send(Feed.TRADE, structuredHeaders(), retraction("r3", "2019", "2024-02-01")); // nothing stood there

        var out = observations.readKeyValuesToList();
        assertEquals(List.of("trade|CHN|WLD|EXPORT|DDS|2023", "trade|CHN|WLD|EXPORT|DDS|2023"),
                out.stream().map(kv -> kv.key).toList());
        assertEquals(100e9, out.get(0).value.value());
        assertEquals(null, out.get(1).value, "one tombstone, for the withdrawal of what stood");
        assertEquals(6, count("dtm.events.received", "feed", "trade"));
        assertEquals(5, count("dtm.events.accepted", "feed", "trade"));
        assertEquals(1, count("dtm.events.duplicate", "feed", "trade"));
        assertEquals(1, count("dtm.observations.stale", "feed", "trade"));
        assertEquals(3, count("dtm.observations.retracted", "feed", "trade"));

        sendTrade("urn:test", "o0", "2023", 90, "2024-01-01"); // at the retraction's vintage: stays withdrawn
        assertTrue(observations.isEmpty());
        sendTrade("urn:test", "o2", "2023", 120, "2024-03-01");
        assertEquals(List.of(120e9), observations.readValuesToList().stream().map(Observation::value).toList());
        assertEquals(1, count("dtm.observations.revised", "feed", "trade"));
        assertTrue(dlq.isEmpty());
    }

    @Test
    void shouldDeadLetterARetractionOnAnotherFeedsTopicOrWithBadFields() {
        send(Feed.MACRO, structuredHeaders(), retraction("elsewhere", "2023", "2024-01-01"));
        var bad = retraction("bad", "2023", "2999-01-01");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.get("data")).put("value", 1);
        send(Feed.TRADE, structuredHeaders(), bad);

        assertTrue(observations.isEmpty());
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertEquals(List.of("wrong-topic", "invalid-field"), dead.stream()
                .map(r -> header(r.headers(), DeadLetters.REASON_HEADER)).toList());
        String detail = header(dead.get(1).headers(), DeadLetters.DETAIL_HEADER);
        assertTrue(detail.contains("data.value") && detail.contains("data.vintage"), detail);
        assertEquals(1, count("dtm.events.rejected", "feed", "macro", "reason", "wrong-topic"));
        for (Feed feed : Feed.values()) {
            assertEquals(0, count("dtm.observations.retracted", "feed", feed.label()));
        }
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
