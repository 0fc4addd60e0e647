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

/**
 * The bundled demo data set as structured-mode CloudEvents, built from real figures shipped in
 * {@code src/main/resources/demo/}: the research paper's Table 1 (global exports of goods, services and digitally
 * delivered services, 2019–2025, with the growth it prints), World Bank GDP of the 15 RCEP members 2019–2023, the
 * RCEP entry-into-force dates, and the paper's figures for China. Event ids are stable, so loading it twice
 * publishes duplicates that the service drops. Vintages are the assumed release dates of each source.
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
