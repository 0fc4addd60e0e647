package io.dtm.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dtm.events.Feed;
import io.dtm.imports.ImportItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The demo events that are not in a publication the importer reads, as structured-mode CloudEvents: the research
 * paper's Table 1 (global exports of goods, services and digitally delivered services, 2019–2025, with the growth it
 * prints), the RCEP entry-into-force dates (policy events), the paper's figures for China, and the RCEP and non-RCEP
 * DDS export aggregates summed from the UNCTAD publication of {@link DemoPublications}. {@link DemoPublisher}
 * publishes them after importing the publications. Event ids are stable, so loading it twice publishes duplicates
 * that the service drops. Vintages are the release dates of each source.
 *
 * <p>Where the indicators need series no real publication here gives, {@link #synthetic} generates them from a fixed
 * seed, anchored on the paper's figures, and marks them {@code "synthetic": true} (shown as {@code synthetic="true"}
 * on every metric they feed). See that method for what is generated and why.
 */
public final class DemoDataSet {

    static final String TABLE1_SOURCE = "urn:dtm:demo:paper-table1";
    static final String RCEP_SOURCE = "urn:dtm:demo:rcep";
    static final String FACTS_SOURCE = "urn:dtm:demo:paper-facts";
    /** WTO 'Global Trade Outlook and Statistics', October 2025 update. */
    static final String TABLE1_VINTAGE = "2025-10-07";
    static final String FACTS_VINTAGE = "2025-09-01";
    static final String SYNTHETIC_SOURCE = "urn:dtm:demo:synthetic";
    static final String SYNTHETIC_VINTAGE = "2025-10-15";
    /** The sums of the UNCTAD publication's DDS exports over RCEP members and over the other economies. */
    static final String AGGREGATES_SOURCE = "urn:dtm:demo:unctad-dds-aggregates";
    /** The CloudEvents extension attribute with the number of economies in an aggregate. */
    static final String AGGREGATE_COUNT = "aggregatecount";
    /** The CloudEvents extension attribute listing the RCEP members in an RCEP aggregate (ISO-3, space-separated). */
    static final String AGGREGATE_MEMBERS = "aggregatemembers";
    /** The seed of the synthetic series: the same seed always gives the same demo data. */
    public static final long SEED = 2026L;
    private static final int FIRST_YEAR = 2019;
    private static final int LAST_YEAR = 2025;
    /** The eight national hub nodes of China's computing-power network (names real, values synthetic). */
    static final List<String> HUBS = List.of("BEIJING_TIANJIN_HEBEI", "YANGTZE_RIVER_DELTA", "GUANGDONG_HK_MACAO",
            "CHENGDU_CHONGQING", "GUIZHOU", "INNER_MONGOLIA", "GANSU", "NINGXIA");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DemoDataSet() {
    }

    /** Every demo event, as a JSON array (a CloudEvents batch). */
    public static ArrayNode events() {
        ArrayNode events = JSON.arrayNode();
        table1(events);
        rcep(events);
        facts(events);
        aggregates(events);
        synthetic(events, new Random(SEED));
        return events;
    }

    private static void table1(ArrayNode events) {
        for (Map<String, String> row : csv("seed-table1-global-exports.csv")) {
            ObjectNode data = JSON.objectNode()
                    .put("reporter", "WLD").put("partner", "WLD").put("flow", "EXPORT")
                    .put("category", row.get("category")).put("period", row.get("year"))
                    .put("value", Double.parseDouble(row.get("value_usd_100mn"))).put("unit", "USD_100MN")
                    .put("vintage", TABLE1_VINTAGE);
            String growth = row.get("reported_growth_pct");
            if (growth != null && !growth.isBlank()) {
                data.put("reportedGrowthPct", Double.parseDouble(growth));
            }
            events.add(event(Feed.TRADE, TABLE1_SOURCE, "table1-" + row.get("category") + "-" + row.get("year"), data));
        }
    }

    private static void rcep(ArrayNode events) {
        for (Map<String, String> row : csv("rcep-members.csv")) {
            String date = row.get("entry_into_force");
            if (date == null || date.isBlank()) {
                continue; // no agreed entry-into-force date (Myanmar)
            }
            ObjectNode data = JSON.objectNode()
                    .put("country", row.get("iso3")).put("measure", "RCEP_ENTRY_INTO_FORCE").put("effective", date)
                    .put("direction", "LIBERALISING")
                    .put("description", "RCEP entered into force for " + row.get("name"))
                    .put("vintage", date);
            events.add(event(Feed.POLICY, RCEP_SOURCE, "rcep-eif-" + row.get("iso3"), data));
        }
    }

    /** The paper's amounts for China (the shares and growth rates it states are left to the indicators). */
    private static void facts(ArrayNode events) {
        for (Map<String, String> row : csv("seed-facts.csv")) {
            String what = row.get("what");
            String where = row.get("where");
            String period = row.get("period");
            double value = Double.parseDouble(row.get("value"));
            String id = "fact-" + what + "-" + where + "-" + period;
            switch (what) {
                case "intelligent_computing_power" -> events.add(event(Feed.COMPUTE, FACTS_SOURCE, id,
                        JSON.objectNode().put("region", where).put("metric", "INTELLIGENT_EFLOPS_FP16")
                                .put("period", period).put("value", value).put("unit", row.get("unit"))
                                .put("vintage", FACTS_VINTAGE)));
                case "services_trade_total" -> events.add(event(Feed.TRADE, FACTS_SOURCE, id,
                        trade(where, "SERVICES", period, value, row.get("unit"))));
                case "digitally_delivered_services_trade" -> events.add(event(Feed.TRADE, FACTS_SOURCE, id,
                        trade(where, "DDS", period, value, row.get("unit")).put("reportedGrowthPct", 3.5)));
                default -> {
                    // shares, growth rates and indices are not amounts: the indicators compute them
                }
            }
        }
    }

    /**
     * DDS exports of the RCEP members and of the other economies, 2010–2023 (USD_MN): each year the sum of the UNCTAD
     * publication's figures over the economies that report in it (ISO 3166 countries; the world aggregate is not an
     * economy), at the publication's vintage. How many economies are in a sum changes from year to year (a member
     * that does not report is left out, not estimated): the CloudEvents extension attribute
     * {@value #AGGREGATE_COUNT} says how many, and {@value #AGGREGATE_MEMBERS} names the members.
     */
    static void aggregates(ArrayNode events) {
        DemoPublications.Publication unctad = DemoPublications.of("unctad-dds");
        DemoPublications.Imported imported = DemoPublications.read(unctad);
        Set<String> members = new HashSet<>();
        csv("rcep-members.csv").forEach(row -> members.add(row.get("iso3")));
        Map<String, BigDecimal> rcep = new TreeMap<>();
        Map<String, BigDecimal> others = new TreeMap<>();
        Map<String, TreeSet<String>> rcepIn = new TreeMap<>();
        Map<String, Integer> othersIn = new TreeMap<>();
        for (ImportItem.Event event : imported.events()) {
            String[] series = event.key().split("\\|", -1);
            String reporter = series[1];
            if (!"EXPORT".equals(series[3]) || !"DDS".equals(series[4]) || reporter.equals("WLD")) {
                continue;
            }
            JsonNode data = json(event.json()).get("data");
            BigDecimal value = data.get("value").decimalValue();
            if (!"USD_MN".equals(data.get("unit").asText())) {
                throw new IllegalStateException("the unctad-dds mapping no longer gives USD_MN: " + data);
            }
            if (members.contains(reporter)) {
                rcep.merge(event.period(), value, BigDecimal::add);
                rcepIn.computeIfAbsent(event.period(), p -> new TreeSet<>()).add(reporter);
            } else {
                others.merge(event.period(), value, BigDecimal::add);
                othersIn.merge(event.period(), 1, Integer::sum);
            }
        }
        String vintage = imported.report().vintage().toString();
        rcep.forEach((year, sum) -> {
            ObjectNode event = event(Feed.TRADE, AGGREGATES_SOURCE, "rcep-dds-export-" + year,
                    aggregate("RCEP", year, sum, vintage));
            event.put(AGGREGATE_COUNT, rcepIn.get(year).size())
                    .put(AGGREGATE_MEMBERS, String.join(" ", rcepIn.get(year)));
            events.add(event);
        });
        others.forEach((year, sum) -> events.add(event(Feed.TRADE, AGGREGATES_SOURCE, "non-rcep-dds-export-" + year,
                aggregate("NON_RCEP", year, sum, vintage)).put(AGGREGATE_COUNT, othersIn.get(year))));
    }

    private static ObjectNode aggregate(String reporter, String year, BigDecimal sum, String vintage) {
        return JSON.objectNode().put("reporter", reporter).put("partner", "WLD").put("flow", "EXPORT")
                .put("category", "DDS").put("period", year).put("value", sum).put("unit", "USD_MN")
                .put("vintage", vintage);
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("an imported event is not JSON", e);
        }
    }

    /**
     * The series still synthetic, because no real publication here has them; from a seeded random walk anchored on
     * the paper's figures:
     * <ul>
     * <li>China's services exports and imports to the world, 2019–2025 (USD bn), through the paper's 2023 total of
     * 933 and deficit of 229.4; yearly growth drawn from N(6 %, 4 %) for exports and N(5 %, 5 %) for imports. No
     * services-trade publication by partner is among the demo publications; the DDS share of services, China's DDS
     * RCA and its services balance need them;</li>
     * <li>intelligent computing power of China's eight national hub nodes (June 2025) summing to 80–82 % of the
     * real national 788 EFLOPS: no public source gives the hubs' figures.</li>
     * </ul>
     */
    static void synthetic(ArrayNode events, Random random) {
        double exports2023 = (933 - 229.4) / 2;
        double imports2023 = 933 - exports2023;
        double[] exports = walk(random, exports2023, 0.06, 0.04);
        double[] imports = walk(random, imports2023, 0.05, 0.05);
        for (int i = 0; i < exports.length; i++) {
            String year = Integer.toString(FIRST_YEAR + i);
            addSynthetic(events, Feed.TRADE, "chn-services-export-" + year,
                    trade("CHN", "SERVICES", year, exports[i], "USD_BN").put("flow", "EXPORT"));
            addSynthetic(events, Feed.TRADE, "chn-services-import-" + year,
                    trade("CHN", "SERVICES", year, imports[i], "USD_BN").put("flow", "IMPORT"));
        }
        double[] weights = random.doubles(HUBS.size(), 0.5, 1.5).toArray();
        double hubTotal = 788 * (0.80 + random.nextDouble() * 0.02);
        double weightSum = Arrays.stream(weights).sum();
        for (int i = 0; i < HUBS.size(); i++) {
            addSynthetic(events, Feed.COMPUTE, "hub-" + HUBS.get(i) + "-2025-06", JSON.objectNode()
                    .put("region", "CHN-" + HUBS.get(i)).put("metric", "INTELLIGENT_EFLOPS_FP16")
                    .put("period", "2025-06").put("value", hubTotal * weights[i] / weightSum)
                    .put("unit", "EFLOPS_FP16").put("hubGroup", "NATIONAL_HUB"));
        }
    }

    /** Values for FIRST_YEAR..LAST_YEAR through {@code anchor2023}, growing by N(mean, sd) a year. */
    private static double[] walk(Random random, double anchor2023, double mean, double sd) {
        double[] values = new double[LAST_YEAR - FIRST_YEAR + 1];
        int anchor = 2023 - FIRST_YEAR;
        values[anchor] = anchor2023;
        for (int i = anchor + 1; i < values.length; i++) {
            values[i] = values[i - 1] * (1 + mean + sd * random.nextGaussian());
        }
        for (int i = anchor - 1; i >= 0; i--) {
            values[i] = values[i + 1] / (1 + mean + sd * random.nextGaussian());
        }
        return values;
    }

    private static void addSynthetic(ArrayNode events, Feed feed, String id, ObjectNode data) {
        data.put("vintage", SYNTHETIC_VINTAGE).put("synthetic", true);
        events.add(event(feed, SYNTHETIC_SOURCE, id, data));
    }

    private static ObjectNode trade(String reporter, String category, String period, double value, String unit) {
        return JSON.objectNode().put("reporter", reporter).put("partner", "WLD").put("flow", "TOTAL")
                .put("category", category).put("period", period).put("value", value).put("unit", unit)
                .put("vintage", FACTS_VINTAGE);
    }

    private static ObjectNode event(Feed feed, String source, String id, JsonNode data) {
        ObjectNode event = JSON.objectNode()
                .put("specversion", "1.0").put("id", id).put("source", source).put("type", feed.eventType())
                .put("datacontenttype", "application/json");
        event.set("data", data);
        return event;
    }

    private static List<Map<String, String>> csv(String name) {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.ALLOW_COMMENTS);
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        try (InputStream in = DemoDataSet.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("demo file missing from the classpath: demo/" + name);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema).readValues(in)) {
                it.forEachRemaining(rows::add);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo/" + name, e);
        }
    }
}
