package io.dtm.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded panel of the inputs of the four-term drivers model of {@code models-releases.yaml} as it is published:
 * the data of year Y at the release of 30 June Y + 1 (2011 to 2025), about one value in five revised at the next
 * release, and some events sent twice. The infrastructure term matters until 2017 and not from 2018, so the
 * rolling estimate loses it as the releases come. The numbers do not depend on the set of economies they are
 * published under, so the same panel can be published under several sets at once.
 */
public final class ReleasePanel {

    /** The economies of the models {@code drivers}, {@code drivers-b} and {@code drivers-c}. */
    public static final List<String> A = List.of("AUS", "CHN", "IDN", "JPN", "KOR", "MYS", "NZL", "PHL", "SGP", "THA");
    public static final List<String> B = List.of("ARG", "BOL", "BRA", "CHL", "COL", "ECU", "MEX", "PER", "PRY", "URY");
    public static final List<String> C = List.of("AUT", "BEL", "DEU", "ESP", "FRA", "GRC", "IRL", "ITA", "NLD", "PRT");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int FIRST = 2010;
    private static final int LAST = 2024;

    private ReleasePanel() {
    }

    /** One event: its feed, id, release (vintage) and {@code data}. */
    public record Event(Feed feed, String id, String vintage, ObjectNode data) {

        /** The event in structured mode under {@code source}. */
        public ObjectNode cloudEvent(String source) {
            return TestEvents.structured(feed, source, id, data);
        }
    }

    /** The panel under {@code entities} (ten economies), in release order. */
    public static List<Event> events(List<String> entities, long seed) {
        Random r = new Random(seed);
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            String c = entities.get(i);
            double scale = 1 + 3 * r.nextDouble();
            double ictLast = 1e3 * scale;
            for (int year = FIRST; year <= LAST; year++) {
                double gdp = 100 * scale * Math.exp(0.04 * (year - FIRST) + 0.05 * r.nextGaussian());
                double infra = Math.max(1, Math.min(99, 30 + 3 * (year - FIRST) + 10 * r.nextGaussian()));
                double ict = 1e3 * scale * Math.exp(0.05 * (year - FIRST) + 0.2 * r.nextGaussian());
                double beta = year <= 2017 ? 3 : 0;
                double dds = 1e3 * scale * Math.exp(0.8 * Math.log(gdp / 100) + beta * infra / 100
                        + 0.6 * Math.log(ictLast / 1e3) + 0.05 * r.nextGaussian());
                ictLast = ict;
                String period = Integer.toString(year);
                add(out, r, Feed.MACRO, c, period, macro(c, "GDP_USD", period, gdp, "USD_BN"));
                add(out, r, Feed.COMPUTE, c, period, compute(c, "INTERNET_USERS_PCT", period, infra, "PCT"));
                add(out, r, Feed.TRADE, c, period, TestEvents.tradeData(c, "WLD", "EXPORT", "ICT", period, ict,
                        "USD_MN", null));
                add(out, r, Feed.TRADE, c, period, TestEvents.tradeData(c, "WLD", "EXPORT", "DDS", period, dds,
                        "USD_MN", null));
            }
        }
        out.sort(Comparator.comparing(Event::vintage));
        return out;
    }

    /** The value of one (series, period) at its first release, a revision at the next (one in five) and repeats. */
    private static void add(List<Event> out, Random r, Feed feed, String entity, String period, ObjectNode data) {
        String series = feed.name().toLowerCase() + "-" + entity + "-" + field(data) + "-" + period;
        int year = Integer.parseInt(period);
        String first = (year + 1) + "-06-30";
        Event event = new Event(feed, series + "@" + first, first, data.deepCopy().put("vintage", first));
        out.add(event);
        if (r.nextInt(7) == 0) {
            out.add(event);
        }
        if (r.nextInt(5) == 0) {
            String next = (year + 2) + "-06-30";
            double revised = data.get("value").asDouble() * (1 + 0.05 * r.nextGaussian());
            out.add(new Event(feed, series + "@" + next, next, data.deepCopy().put("value", revised)
                    .put("vintage", next)));
        }
    }

    private static String field(ObjectNode data) {
        return data.has("category") ? data.get("category").asText()
                : data.has("metric") ? data.get("metric").asText() : data.get("indicator").asText();
    }

    private static ObjectNode macro(String country, String indicator, String period, double value, String unit) {
        return JSON.objectNode().put("country", country).put("indicator", indicator).put("period", period)
                .put("value", value).put("unit", unit);
    }

    private static ObjectNode compute(String region, String metric, String period, double value, String unit) {
        return JSON.objectNode().put("region", region).put("metric", metric).put("period", period)
                .put("value", value).put("unit", unit);
    }
}
