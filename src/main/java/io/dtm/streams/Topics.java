package io.dtm.streams;

import io.dtm.events.AlertTransition;
import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.events.ModelSnapshot;
import io.dtm.events.Observation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;

/** The registry of the topics the service reads and writes (DESIGN §3, §6). */
public final class Topics {

    public static final Topic<byte[], byte[]> TRADE = feedTopic("dtm.trade.v1");
    public static final Topic<byte[], byte[]> COMPUTE = feedTopic("dtm.compute.v1");
    public static final Topic<byte[], byte[]> POLICY = feedTopic("dtm.policy.v1");
    public static final Topic<byte[], byte[]> MACRO = feedTopic("dtm.macro.v1");

    /** Winning vintage per (series, period); compacted, no time retention. Key: {@code series|period}. */
    public static final Topic<String, Observation> OBSERVATIONS =
            new Topic<>("dtm.observations.v1", Serdes.String(), JsonSerde.of(Observation.class));

    /** Indicator values; compacted. Key: {@code id|series|period}. */
    public static final Topic<String, IndicatorValue> INDICATORS =
            new Topic<>("dtm.indicators.v1", Serdes.String(), JsonSerde.of(IndicatorValue.class));

    /** Drivers model snapshots. Key: the model name. */
    public static final Topic<String, ModelSnapshot> MODEL =
            new Topic<>("dtm.model.v1", Serdes.String(), JsonSerde.of(ModelSnapshot.class));

    /**
     * The drivers models' estimates as of each release (vintage), what model alerts are evaluated on; compacted.
     * Key: {@code model|vintage}; a tombstone when the release no longer stands.
     */
    public static final Topic<String, ModelSnapshot> MODEL_RELEASES =
            new Topic<>("dtm.model-releases.v1", Serdes.String(), JsonSerde.of(ModelSnapshot.class));

    /** Alert transitions. Key: {@code rule|labels}. */
    public static final Topic<String, AlertTransition> ALERTS =
            new Topic<>("dtm.alerts.v1", Serdes.String(), JsonSerde.of(AlertTransition.class));

    /** Alert subscriptions, the system of record (compacted). Key: the subscription id; a tombstone deletes it. */
    public static final Topic<String, byte[]> SUBSCRIPTIONS =
            new Topic<>("dtm.subscriptions.v1", Serdes.String(), Serdes.ByteArray());

    /** Alert rules, the system of record (compacted). Key: the rule id; a tombstone deletes the rule. */
    public static final Topic<String, byte[]> ALERT_RULES =
            new Topic<>("dtm.alert-rules.v1", Serdes.String(), Serdes.ByteArray());

    /**
     * Notifications that could not be delivered after the last retry: the payload, the subscription and the last
     * error. Key: the notification's idempotency key.
     */
    public static final Topic<String, byte[]> NOTIFICATIONS_DLQ =
            new Topic<>("dtm.notifications.dlq.v1", Serdes.String(), Serdes.ByteArray());

    /** Rejected input: the original bytes and headers plus {@code dtm.error.*} headers. */
    public static final Topic<byte[], byte[]> DLQ = feedTopic("dtm.dlq.v1");

    /** The one place a feed and its topic are paired. */
    private static final Map<Feed, Topic<byte[], byte[]>> BY_FEED =
            Map.of(Feed.TRADE, TRADE, Feed.COMPUTE, COMPUTE, Feed.POLICY, POLICY, Feed.MACRO, MACRO);

    private Topics() {
    }

    /** The topic a feed publishes to. */
    public static Topic<byte[], byte[]> of(Feed feed) {
        return BY_FEED.get(feed);
    }

    /** The feed whose topic is named {@code topic}; empty for any other topic. */
    public static Optional<Feed> feedOf(String topic) {
        return Arrays.stream(Feed.values()).filter(f -> BY_FEED.get(f).name().equals(topic)).findFirst();
    }

    /** Every feed topic, in {@link Feed} order. */
    public static List<Topic<byte[], byte[]>> feeds() {
        return Arrays.stream(Feed.values()).map(BY_FEED::get).toList();
    }

    /**
     * Every topic the service reads (by Kafka Streams or by a consumer of its own), internal topics aside: the
     * feeds, observations, indicators, the model's estimates as of each release, alert rules and subscriptions.
     */
    public static List<Topic<?, ?>> read() {
        return List.of(TRADE, COMPUTE, POLICY, MACRO, OBSERVATIONS, INDICATORS, MODEL_RELEASES, ALERT_RULES,
                SUBSCRIPTIONS);
    }

    private static Topic<byte[], byte[]> feedTopic(String name) {
        return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray());
    }
}
