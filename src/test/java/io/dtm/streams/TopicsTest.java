package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtm.events.Feed;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldPairEveryFeedWithItsTopicBothWays() {
        for (Feed feed : Feed.values()) {
            assertEquals("dtm." + feed.label() + ".v1", Topics.of(feed).name());
            assertEquals(Optional.of(feed), Topics.feedOf(Topics.of(feed).name()));
        }
    }

    @Test
    void shouldListTheFeedTopicsInFeedOrder() {
        assertEquals(List.of("dtm.trade.v1", "dtm.compute.v1", "dtm.policy.v1", "dtm.macro.v1"),
                Topics.feeds().stream().map(Topic::name).toList());
    }

    @Test
    void shouldFindNoFeedForAnotherTopic() {
        assertEquals(Optional.empty(), Topics.feedOf(Topics.OBSERVATIONS.name()));
        assertEquals(Optional.empty(), Topics.feedOf(Topics.DLQ.name()));
        assertEquals(Optional.empty(), Topics.feedOf(null));
    }
}
