package io.dtm.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.Feed;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped datasets.yaml and the validation of a file of one's own. */
class DatasetsTest {

    @Test
    void shouldShipAMappingForEveryPublicationAndFormat() {
        Datasets d = Imports.DATASETS;
        assertEquals(Set.of(Datasets.Format.values()),
                d.all().stream().map(Datasets.Dataset::formatOf).collect(Collectors.toSet()));
        assertEquals(Set.of("wdi-bulk", "wdi-api", "unctad-dds", "oecd-dstri", "datasets-gdp", "epoch-gpu-clusters"),
                d.all().stream().map(Datasets.Dataset::id).collect(Collectors.toSet()));
        Datasets.Mapping internet = d.dataset("wdi-bulk").orElseThrow().mapping("IT.NET.USER.ZS").orElseThrow();
        assertEquals(Feed.COMPUTE, internet.feedOf());
        assertEquals("INTERNET_USERS_PCT", internet.metric());
        assertEquals("PCT", internet.unit());
        Datasets.Mapping dds = d.dataset("unctad-dds").orElseThrow().mapping("UNCTAD_DE_DIG_SERVTRADE_ANN_EXP")
                .orElseThrow();
        assertEquals("DDS", dds.category());
        assertEquals("USD_MN", dds.unit());
        assertTrue(d.aggregate("EAS") && d.aggregate("WLD") && !d.aggregate("JPN"));
    }

    @Test
    void shouldNameEveryBadEntry() {
        String yaml = """
                datasets:
                  - id: Bad_Id
                    format: xlsx
                    source: not a uri
                    mappings:
                      - {code: A, feed: trade, category: DDS, flow: SIDEWAYS, unit: USD}
                      - {code: A, feed: compute, unit: PCT}
                      - {code: B, feed: weather, unit: PCT}
                  - id: ok
                    format: long-csv
                    source: urn:x:y
                    columns: {area: ISO, period: Year, value: Value}
                    mappings:
                      - {code: C, feed: macro, indicator: GDP_USD, unit: EUR, scale: -1, aggregates: [EAS1]}
                """;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml"));
        String m = e.getMessage();
        for (String expected : new String[] {"dataset 0 'Bad_Id': id must be lower-case kebab",
            "dataset 0 'Bad_Id': format must be one of", "dataset 0 'Bad_Id': source must be",
            "mapping 0 'A': flow must be one of", "mapping 1 'A': code is mapped twice",
            "mapping 1 'A': metric is required", "mapping 2 'B': feed must be trade, compute, policy or macro",
            "dataset 1 'ok': either columns.code or code", "mapping 0 'C': unit must be one of",
            "mapping 0 'C': scale must be positive", "mapping 0 'C': aggregate EAS1"}) {
            assertTrue(m.contains(expected), "'" + expected + "' in:\n" + m);
        }
    }

    @Test
    void shouldNameAnUnknownField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.parse(
                "datasets:\n  - id: a\n    fromat: sdmx-csv\n".getBytes(StandardCharsets.UTF_8), "test.yaml"));
        assertTrue(e.getMessage().contains("unknown field 'fromat'"), e.getMessage());
    }
}
