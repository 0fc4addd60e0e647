package io.dtm.events;

import java.util.Arrays;
import java.util.Optional;

/** The four upstream feeds, each with its label value ({@code feed}) and its CloudEvents {@code type}. */
public enum Feed {
    TRADE("trade", "dtm.trade.observation.v1"),
    COMPUTE("compute", "dtm.compute.observation.v1"),
    POLICY("policy", "dtm.policy.change.v1"),
    MACRO("macro", "dtm.macro.observation.v1");

    /** Label value for events whose CloudEvents type names no feed (HTTP only: Kafka knows the feed from the topic). */
    public static final String UNKNOWN_LABEL = "unknown";

    private final String label;
    private final String eventType;

    Feed(String label, String eventType) {
        this.label = label;
        this.eventType = eventType;
    }

    /** The value of the {@code feed} label and of {@link Observation#feed()}. */
    public String label() {
        return label;
    }

    /** The CloudEvents {@code type} of this feed's events. */
    public String eventType() {
        return eventType;
    }

    public static Optional<Feed> ofEventType(String type) {
        return Arrays.stream(values()).filter(f -> f.eventType.equals(type)).findFirst();
    }

    public static Optional<Feed> ofLabel(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst();
    }
}
