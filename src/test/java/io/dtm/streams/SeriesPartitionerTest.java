package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class SeriesPartitionerTest {

    private final SeriesPartitioner<Object> partitioner = new SeriesPartitioner<>();

    @Test
    void shouldPutEveryPeriodOfASeriesOnThePartitionOfTheSeriesKey() {
        SeriesKey series = new SeriesKey("trade", "CHN", "WLD", "EXPORT", "DDS");
        int expected = Utils.toPositive(Utils.murmur2(series.toString().getBytes(StandardCharsets.UTF_8))) % 7;
        for (String period : new String[] {"2019", "2024", "2024-03", "2024-Q1", ""}) {
            assertEquals(Optional.of(Set.of(expected)), partitioner.partitions("t", series.withPeriod(period), null, 7),
                    period);
        }
    }

    @Test
    void shouldSpreadSeriesOverThePartitions() {
        Set<Integer> used = new HashSet<>();
        for (String reporter : new String[] {"AUS", "CHN", "JPN", "KOR", "NZL", "SGP", "THA", "VNM", "MYS", "PHL"}) {
            used.add(SeriesPartitioner.partitionOf(new SeriesKey("trade", reporter, "WLD", "EXPORT", "DDS")
                    .withPeriod("2024"), 3));
        }
        assertEquals(Set.of(0, 1, 2), used);
        assertTrue(SeriesPartitioner.partitionOf("no-period", 3) >= 0);
    }
}
