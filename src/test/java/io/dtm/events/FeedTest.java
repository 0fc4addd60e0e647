package io.dtm.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedTest {

    @Test
    void shouldNameATradeSeriesByAllFourParts() {
        Map<String, String> fields = Feed.TRADE.seriesFields(new SeriesKey("trade", "NZL", "WLD", "EXPORT", "DDS"));
        assertEquals(List.of("reporter", "partner", "flow", "category"), List.copyOf(fields.keySet()));
        assertEquals(List.of("NZL", "WLD", "EXPORT", "DDS"), List.copyOf(fields.values()));
    }

    @Test
    void shouldNameTheOtherFeedsSeriesByTheirOwnFields() {
        assertEquals(Map.of("region", "CHN-GUIZHOU", "metric", "INTELLIGENT_EFLOPS_FP16"), Feed.COMPUTE
                .seriesFields(new SeriesKey("compute", "CHN-GUIZHOU", "", "", "INTELLIGENT_EFLOPS_FP16")));
        assertEquals(Map.of("country", "JPN", "measure", "DSTRI"),
                Feed.POLICY.seriesFields(new SeriesKey("policy", "JPN", "", "", "DSTRI")));
        assertEquals(Map.of("country", "DEU", "indicator", "GDP_USD"),
                Feed.MACRO.seriesFields(new SeriesKey("macro", "DEU", "", "", "GDP_USD")));
    }

    @Test
    void shouldFindAFeedByItsLabelOrEventType() {
        for (Feed feed : Feed.values()) {
            assertEquals(feed, Feed.ofLabel(feed.label()).orElseThrow());
            assertEquals(feed, Feed.ofEventType(feed.eventType()).orElseThrow());
        }
    }
}
