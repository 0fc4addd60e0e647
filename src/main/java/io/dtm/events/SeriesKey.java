package io.dtm.events;

/**
 * A series: (feed, reporter, partner, flow, category), empty strings where a part does not apply. Its
 * string form {@code feed|reporter|partner|flow|category} is the Kafka key prefix of its observations.
 */
public record SeriesKey(String feed, String reporter, String partner, String flow, String category) {

    public SeriesKey {
        feed = nullToEmpty(feed);
        reporter = nullToEmpty(reporter);
        partner = nullToEmpty(partner);
        flow = nullToEmpty(flow);
        category = nullToEmpty(category);
    }

    /** The key of this series' observation for {@code period}. */
    public String withPeriod(String period) {
        return this + "|" + period;
    }

    @Override
    public String toString() {
        return String.join("|", feed, reporter, partner, flow, category);
    }

    /** Parses the string form written by {@link #toString()}. */
    public static SeriesKey parse(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException("not a series key: " + text);
        }
        return new SeriesKey(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
