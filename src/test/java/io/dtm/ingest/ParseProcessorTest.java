package io.dtm.ingest;

import static io.dtm.support.TestEvents.bytes;
import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.structuredHeaders;
import static io.dtm.support.TestEvents.tradeData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.Feed;
import io.dtm.events.SeriesKey;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.SeriesPartitioner;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.Topics;
import io.dtm.support.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class ParseProcessorTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockProcessorContext<byte[], ParseProcessor.Parsed> context = new MockProcessorContext<>();
    private final ParseProcessor parse = new ParseProcessor(3, new DtmMetrics(registry), TestClock.FIXED);

    ParseProcessorTest() {
        parse.init(context);
    }

    private ParseProcessor.Parsed parse(String topic, int partition, String reporter) {
        context.resetForwards();
        context.setRecordMetadata(topic, partition, 0);
        byte[] event = bytes(structured(Feed.TRADE, "urn:t", reporter + "-2024", tradeData(reporter, "WLD", "EXPORT",
                "DDS", "2024", 1, "USD", "2025-03-01")));
        parse.process(new Record<>(bytes("k"), event, 0L, structuredHeaders()));
        return context.forwarded().get(0).record().value();
    }

    @Test
    void shouldKeyBySeriesAndPeriodAndTellWhetherTheEventIsOnItsSeriesPartition() {
        for (String reporter : List.of("AUS", "CHN", "JPN", "KOR", "NZL", "SGP")) {
            String key = new SeriesKey("trade", reporter, "WLD", "EXPORT", "DDS").withPeriod("2024");
            int home = SeriesPartitioner.partitionOf(key, 3);
            for (int partition = 0; partition < 3; partition++) {
                ParseProcessor.Parsed parsed = parse(Topics.TRADE.name(), partition, reporter);
                assertEquals(key, parsed.key());
                assertEquals(reporter, parsed.entry().observation().reporter());
                assertEquals(partition == home, parsed.here(), reporter + " on partition " + partition);
                assertNull(parsed.original());
            }
        }
    }

    @Test
    void shouldTakeTheFeedFromTheTopicAndRejectAnEventOfAnotherFeedWithItsOriginalBytes() {
        ParseProcessor.Parsed parsed = parse(Topics.MACRO.name(), 0, "CHN");

        assertTrue(parsed.rejected());
        assertTrue(new String(parsed.original(), StandardCharsets.UTF_8).contains("\"CHN-2024\""));
        var headers = context.forwarded().get(0).record().headers();
        assertArrayEquals(bytes("wrong-topic"), headers.lastHeader(DeadLetters.REASON_HEADER).value());
        assertArrayEquals(bytes(Topics.MACRO.name()), headers.lastHeader(DeadLetters.SOURCE_TOPIC_HEADER).value());
        assertEquals(1.0, registry.get("dtm.events.received").tag("feed", "macro").counter().count());
    }

    @Test
    void shouldRefuseARecordOfATopicThatIsNotAFeed() {
        context.setRecordMetadata("dtm.other.v1", 0, 0);
        assertThrows(IllegalStateException.class, () -> parse.process(new Record<>(bytes("k"), bytes("{}"), 0L)));
    }

    @Test
    void shouldAgreeWithTheDefaultPartitionerOnARecordKeyedByItsSeries() {
        SeriesKey series = new SeriesKey("trade", "CHN", "WLD", "EXPORT", "DDS");
        int byProducer = Utils.toPositive(Utils.murmur2(series.toString().getBytes(StandardCharsets.UTF_8))) % 3;
        assertEquals(byProducer, SeriesPartitioner.partitionOf(series.withPeriod("2024-03"), 3));
    }
}
