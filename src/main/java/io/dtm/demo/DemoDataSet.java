package io.dtm.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dtm.events.Feed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bundled demo data set as structured-mode CloudEvents, built from real figures shipped in
 * {@code src/main/resources/demo/}: the research paper's Table 1 (global exports of goods, services and digitally
 * delivered services, 2019–2025, with the growth it prints), World Bank GDP of the 15 RCEP members 2019–2023, the
 * RCEP entry-into-force dates, and the paper's figures for China. Event ids are stable, so loading it twice
 * publishes duplicates that the service drops. Vintages are the assumed release dates of each source.
 *
 * <p>Where the indicators need series the paper does not give, {@link #synthetic} generates them from a fixed
 * seed, anchored on the paper's figures, and marks them {@code "synthetic": true} (shown as
 * {@code synthetic="true"} on every metric they feed). See that method for what is generated and how.
 */
public final class DemoDataSet {

    static final String TABLE1_SOURCE = "urn:dtm:demo:paper-table1";
    static final String GDP_SOURCE = "urn:dtm:demo:world-bank-gdp";
    static final String RCEP_SOURCE = "urn:dtm:demo:rcep";
    static final String FACTS_SOURCE = "urn:dtm:demo:paper-facts";
    /** WTO 'Global Trade Outlook and Statistics', October 2025 update. */
    static final String TABLE1_VINTAGE = "2025-10-07";
    /** World Bank WDI, July 2024 update. */
    static final String GDP_VINTAGE = "2024-07-01";
    static final String FACTS_VINTAGE = "2025-09-01";
    static final String SYNTHETIC_SOURCE = "urn:dtm:demo:synthetic";
    static final String SYNTHETIC_VINTAGE = "2025-10-15";
    /** The seed of the synthetic series: the same seed always gives the same demo data. */
    public static final long SEED = 2026L;
    private static final int FIRST_YEAR = 2019;
    private static final int LAST_YEAR = 2025;
    /** The eight national hub nodes of China's computing-power network (names real, values synthetic). */
    static final List<String> HUBS = List.of("BEIJING_TIANJIN_HEBEI", "YANGTZE_RIVER_DELTA", "GUANGDONG_HK_MACAO",
            "CHENGDU_CHONGQING", "GUIZHOU", "INNER_MONGOLIA", "GANSU", "NINGXIA");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DemoDataSet() {
    }

    /** Every demo event, as a JSON array (a CloudEvents batch). */
    public static ArrayNode events() {
        ArrayNode events = JSON.arrayNode();
        table1(events);
        gdp(events);
        rcep(events);
        facts(events);
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

    private static void gdp(ArrayNode events) {
        for (Map<String, String> row : csv("gdp-rcep-2019-2023.csv")) {
            ObjectNode data = JSON.objectNode()
                    .put("country", row.get("iso3")).put("indicator", "GDP_USD").put("period", row.get("year"))
                    .put("value", Double.parseDouble(row.get("gdp_current_usd"))).put("unit", "USD")
                    .put("vintage", GDP_VINTAGE);
            events.add(event(Feed.MACRO, GDP_SOURCE, "gdp-" + row.get("iso3") + "-" + row.get("year"), data));
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
     * Synthetic series, from a seeded random walk anchored on the paper's figures:
     * <ul>
     * <li>China's services exports and imports to the world, 2019–2025 (USD bn), through the 2023 total of 933 and
     * deficit of 229.4; yearly growth drawn from N(6 %, 4 %) for exports and N(5 %, 5 %) for imports;</li>
     * <li>China's DDS exports, 57.5 % (the paper's knowledge-intensive share of exports) of services exports ± 2 pp;</li>
     * <li>DDS exports among RCEP members and of non-members, growing by exactly the paper's 18.7 % and 9.3 % in
     * 2022 and by N(8 %, 4 %) in other years;</li>
     * <li>intelligent computing power of China's eight national hub nodes (June 2025) summing to 80–82 % of the
     * real national 788 EFLOPS;</li>
     * <li>a DSTRI (0 open … 1 closed) per member from 2019, U(0.10, 0.45), lowered by U(0.02, 0.06) on the date
     * RCEP entered into force for it.</li>
     * </ul>
     */
    static void synthetic(ArrayNode events, Random random) {
        double exports2023 = (933 - 229.4) / 2;
        double imports2023 = 933 - exports2023;
        double[] exports = walk(random, exports2023, 0.06, 0.04);
        double[] imports = walk(random, imports2023, 0.05, 0.05);
        for (int i = 0; i < exports.length; i++) {
            String year = Integer.toString(FIRST_YEAR + i);
            double dds = exports[i] * (0.575 + (random.nextDouble() - 0.5) * 0.04);
            addSynthetic(events, Feed.TRADE, "chn-services-export-" + year,
                    trade("CHN", "SERVICES", year, exports[i], "USD_BN").put("flow", "EXPORT"));
            addSynthetic(events, Feed.TRADE, "chn-services-import-" + year,
                    trade("CHN", "SERVICES", year, imports[i], "USD_BN").put("flow", "IMPORT"));
            addSynthetic(events, Feed.TRADE, "chn-dds-export-" + year,
                    trade("CHN", "DDS", year, dds, "USD_BN").put("flow", "EXPORT"));
        }
        double rcep = 1000 + random.nextDouble() * 200;
        double nonRcep = 2000 + random.nextDouble() * 300;
        for (int year = FIRST_YEAR; year <= LAST_YEAR; year++) {
            if (year > FIRST_YEAR) {
                rcep *= 1 + (year == 2022 ? 0.187 : 0.08 + 0.04 * random.nextGaussian());
                nonRcep *= 1 + (year == 2022 ? 0.093 : 0.08 + 0.04 * random.nextGaussian());
            }
            addSynthetic(events, Feed.TRADE, "rcep-dds-" + year,
                    trade("RCEP", "DDS", Integer.toString(year), rcep, "USD_100MN").put("partner", "RCEP")
                            .put("flow", "EXPORT"));
            addSynthetic(events, Feed.TRADE, "non-rcep-dds-" + year,
                    trade("NON_RCEP", "DDS", Integer.toString(year), nonRcep, "USD_100MN").put("flow", "EXPORT"));
        }
        double[] weights = random.doubles(HUBS.size(), 0.5, 1.5).toArray();
        double hubTotal = 788 * (0.80 + random.nextDouble() * 0.02);
        double weightSum = java.util.Arrays.stream(weights).sum();
        for (int i = 0; i < HUBS.size(); i++) {
            addSynthetic(events, Feed.COMPUTE, "hub-" + HUBS.get(i) + "-2025-06", JSON.objectNode()
                    .put("region", "CHN-" + HUBS.get(i)).put("metric", "INTELLIGENT_EFLOPS_FP16")
                    .put("period", "2025-06").put("value", hubTotal * weights[i] / weightSum)
                    .put("unit", "EFLOPS_FP16").put("hubGroup", "NATIONAL_HUB"));
        }
        for (Map<String, String> row : csv("rcep-members.csv")) {
            String country = row.get("iso3");
            double dstri = 0.10 + random.nextDouble() * 0.35;
            addSynthetic(events, Feed.POLICY, "dstri-" + country + "-2019", dstri(country, "2019-01-01", dstri,
                    "NEUTRAL", "DSTRI level"));
            String eif = row.get("entry_into_force");
            if (eif != null && !eif.isBlank()) {
                double lowered = Math.max(0, dstri - (0.02 + random.nextDouble() * 0.04));
                addSynthetic(events, Feed.POLICY, "dstri-" + country + "-rcep", dstri(country, eif, lowered,
                        "LIBERALISING", "DSTRI after RCEP's entry into force"));
            }
        }
    }

    private static ObjectNode dstri(String country, String effective, double value, String direction, String what) {
        return JSON.objectNode().put("country", country).put("measure", "DSTRI").put("effective", effective)
                .put("direction", direction).put("indexValue", value).put("description", what + " (synthetic)");
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
