package io.dtm.events;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The four upstream feeds, each with its label value ({@code feed}), its CloudEvents {@code type} and the
 * {@code data} fields that name its series (DESIGN §3): trade names all four parts of a {@link SeriesKey}, the
 * others a reporter (region or country) and a category (metric, measure or indicator).
 */
public enum Feed {
    TRADE("trade", "dtm.trade.observation.v1", "reporter", "category"),
    COMPUTE("compute", "dtm.compute.observation.v1", "region", "metric"),
    POLICY("policy", "dtm.policy.change.v1", "country", "measure"),
    MACRO("macro", "dtm.macro.observation.v1", "country", "indicator");

    /** Label value for events whose CloudEvents type names no feed (HTTP only: Kafka knows the feed from the topic). */
    public static final String UNKNOWN_LABEL = "unknown";

    private final String label;
    private final String eventType;
    private final String reporterField;
    private final String categoryField;

    Feed(String label, String eventType, String reporterField, String categoryField) {
        this.label = label;
        this.eventType = eventType;
        this.reporterField = reporterField;
        this.categoryField = categoryField;
    }

    /** The value of the {@code feed} label and of {@link Observation#feed()}. */
    public String label() {
        return label;
    }

    /** The CloudEvents {@code type} of this feed's events. */
    public String eventType() {
        return eventType;
    }

    /**
     * The {@code data} fields that name {@code series} in an event of this feed, in the order DESIGN §3 lists them
     * (trade: reporter, partner, flow, category; compute: region, metric; policy: country, measure; macro:
     * country, indicator).
     */
    public Map<String, String> seriesFields(SeriesKey series) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(reporterField, series.reporter());
        if (this == TRADE) {
            fields.put("partner", series.partner());
            fields.put("flow", series.flow());
        }
        fields.put(categoryField, series.category());
        return fields;
    }

    public static Optional<Feed> ofEventType(String type) {
        return Arrays.stream(values()).filter(f -> f.eventType.equals(type)).findFirst();
    }

    public static Optional<Feed> ofLabel(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst();
    }
}
