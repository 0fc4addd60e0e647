package io.dtm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtm.events.Observation;
import io.dtm.streams.SeriesPartitioner;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class SeriesRouterTest {

    private static Observation trade(String reporter, String period) {
        return new Observation("trade", reporter, "WLD", "EXPORT", "DDS", period, 1.0, "USD", "2025-01-01", "urn:t",
                reporter + period, null, null, null, null, false);
    }

    @Test
    void shouldKeyBySeriesAndPeriodAndTellWhetherTheEventIsOnItsSeriesPartition() {
        SeriesRouter router = new SeriesRouter(3);
        MockProcessorContext<String, SeriesRouter.Routed> context = new MockProcessorContext<>();
        router.init(context);
        for (String reporter : List.of("AUS", "CHN", "JPN", "KOR", "NZL", "SGP")) {
            Observation obs = trade(reporter, "2024");
            String key = obs.series().withPeriod("2024");
            int home = SeriesPartitioner.partitionOf(key, 3);
            for (int partition = 0; partition < 3; partition++) {
                context.resetForwards();
                context.setRecordMetadata("dtm.trade.v1", partition, 0);
                router.process(new Record<>(new byte[0], obs, 0L));
                var forwarded = context.forwarded().get(0).record();
                assertEquals(key, forwarded.key());
                assertEquals(obs, forwarded.value().observation());
                assertEquals(partition == home, forwarded.value().here(), reporter + " on partition " + partition);
            }
        }
    }

    @Test
    void shouldFindTheSeriesPartitionOfARecordTheDefaultPartitionerPlacedByItsSeriesKey() {
        Observation obs = trade("CHN", "2024-03");
        byte[] httpKey = obs.series().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int byProducer = org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(httpKey)) % 3;
        assertEquals(byProducer, SeriesPartitioner.partitionOf(obs.series().withPeriod(obs.period()), 3));
    }
}
