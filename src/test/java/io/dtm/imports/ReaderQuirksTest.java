package io.dtm.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written small files, one per quirk of the publishers' formats. */
class ReaderQuirksTest {

    private static final LocalDate VINTAGE = LocalDate.of(2025, 6, 30);

    private static ImportItem.Event event(Imports.Result r, String key, String period) {
        return r.events().stream().filter(e -> e.key().equals(key) && e.period().equals(period)).findFirst()
                .orElseThrow(() -> new AssertionError("no event " + key + " " + period + " in " + r.events().stream()
                        .map(e -> e.key() + "@" + e.period()).toList()));
    }

    private static double value(Imports.Result r, String key, String period) {
        JsonNode data = Imports.data(event(r, key, period));
        return (data.has("indexValue") ? data.get("indexValue") : data.get("value")).asDouble();
    }

    // --- World Bank bulk CSV

    @Test
    void shouldReadWorldBankBulkCsvWithBomQuotesBlankLinesAndTrailingCommas() {
        String file = "\uFEFF\"Data Source\",\"World Development Indicators\",\n\n"
                + "\"Last Updated Date\",\"2026-02-24\",\n\n"
                + "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2022\",\"2023\",\n"
                + "\"Japan\",\"JPN\",\"ICT service exports (BoP, current US$)\",\"BX.GSR.CCIS.CD\",\"100.5\",\"\",\n"
                + "\n"
                + "\"World\",\"WLD\",\"ICT service exports (BoP, current US$)\",\"BX.GSR.CCIS.CD\",\"1000\",\"2000\",\n"
                + "\"East Asia & Pacific\",\"EAS\",\"ICT service exports (BoP, current US$)\",\"BX.GSR.CCIS.CD\",\"7\",\"8\",\n";
        Imports.Result r = Imports.run("wdi-bulk", file, null);
        assertEquals(LocalDate.of(2026, 2, 24), r.report().vintage());
        assertEquals(100.5, value(r, "trade|JPN|WLD|EXPORT|ICT", "2022"));
        assertEquals(2000, value(r, "trade|WLD|WLD|EXPORT|ICT", "2023"));
        assertEquals(1, r.report().missing(), "JPN 2023 is empty: missing, not zero");
        assertEquals(2, r.report().skipped(), "EAS is an aggregate the mapping does not name");
        assertEquals(3, r.report().published());
        assertEquals(6, r.report().read());
        JsonNode data = Imports.data(event(r, "trade|JPN|WLD|EXPORT|ICT", "2022"));
        assertEquals("2026-02-24", data.get("vintage").asText());
        assertEquals("USD", data.get("unit").asText());
        assertEquals("urn:worldbank:wdi", Imports.json(event(r, "trade|JPN|WLD|EXPORT|ICT", "2022")).get("source")
                .asText());
    }

    @Test
    void shouldReadWorldBankBulkCsvResavedUnquotedWithUsDateAndCrlf() {
        String file = "Data Source,World Development Indicators,,,,\r\n,,,,,\r\nLast Updated Date,7/13/2026,,,,\r\n"
                + ",,,,,\r\nCountry Name,Country Code,Indicator Name,Indicator Code,2023,2024\r\n"
                + "China,CHN,Individuals using the Internet (% of population),IT.NET.USER.ZS,90.6,..\r\n"
                + "Kosovo,XKX,Individuals using the Internet (% of population),IT.NET.USER.ZS,80,81\r\n"
                + "China,CHN,Population,SP.POP.TOTL,1,2\r\n";
        Imports.Result r = Imports.run("wdi-bulk", file, null);
        assertEquals(LocalDate.of(2026, 7, 13), r.report().vintage());
        assertEquals(90.6, value(r, "compute|CHN|||INTERNET_USERS_PCT", "2023"));
        assertEquals(1, r.report().missing(), "'..' is missing");
        assertEquals(4, r.report().skipped(), "XKX is no ISO 3166 country; SP.POP.TOTL is mapped by nothing");
        assertEquals(1, r.report().published());
    }

    @Test
    void shouldRejectABadCellAloneWithLineRawTextAndReason() {
        String longName = "x".repeat(400);
        String file = "Last Updated Date,2026-02-24\n\nCountry Name,Country Code,Indicator Name,Indicator Code,2023\n"
                + "Japan,JPN,a,IT.NET.USER.ZS,abc\n"
                + longName + ",KOR,a,IT.NET.USER.ZS,1O\n"
                + "China,CHN,a,IT.NET.USER.ZS,90\n";
        Imports.Result r = Imports.run("wdi-bulk", file, null);
        assertEquals(2, r.report().rejected());
        assertEquals(1, r.report().published());
        Reject first = r.report().rejects().get(0);
        assertEquals(4, first.line());
        assertEquals("Japan,JPN,a,IT.NET.USER.ZS,abc", first.raw());
        assertTrue(first.reason().contains("2023") && first.reason().contains("'abc' is not a number"),
                first.reason());
        Reject second = r.report().rejects().get(1);
        assertEquals(5, second.line());
        assertEquals(Csv.MAX_RAW, second.raw().length());
    }

    @Test
    void shouldRefuseAFileWithoutVintageUnlessOneIsNamed() {
        String file = "Country Name,Country Code,Indicator Name,Indicator Code,2023\nJapan,JPN,a,IT.NET.USER.ZS,80\n";
        ImportException e = assertThrows(ImportException.class, () -> Imports.run("wdi-bulk", file, null));
        assertTrue(e.getMessage().contains("no vintage"), e.getMessage());
        Imports.Result r = Imports.run("wdi-bulk", file, VINTAGE);
        assertEquals(VINTAGE.toString(), Imports.data(r.events().get(0)).get("vintage").asText());
        ImportException other = assertThrows(ImportException.class, () -> Imports.run("wdi-bulk",
                "Last Updated Date,2026-02-24\n" + file, VINTAGE));
        assertTrue(other.getMessage().contains("2026-02-24") && other.getMessage().contains(VINTAGE.toString()));
        assertThrows(ImportException.class, () -> Imports.run("unctad-dds", "STRUCTURE_ID,REF_AREA\n", null),
                "SDMX-CSV carries no vintage");
    }

    @Test
    void shouldRefuseAFileThatIsNotOfTheFormat() {
        ImportException e = assertThrows(ImportException.class, () -> Imports.run("wdi-bulk", "a,b\n1,2\n", null));
        assertTrue(e.getMessage().contains("not a World Bank bulk CSV"), e.getMessage());
    }

    // --- World Bank API v2 JSON

    @Test
    void shouldReadAWorldBankApiPageWithPagingVintageAndNulls() {
        String page = """
                [{"page":2,"pages":3,"per_page":2,"total":5,"sourceid":"2","lastupdated":"2026-02-24"},
                 [{"indicator":{"id":"NY.GDP.MKTP.CD","value":"GDP (current US$)"},"country":{"id":"JP","value":"Japan"},
                   "countryiso3code":"JPN","date":"2023","value":4212945440000.5,"unit":"","obs_status":"","decimal":0},
                  {"indicator":{"id":"NY.GDP.MKTP.CD","value":"GDP (current US$)"},"country":{"id":"JP","value":"Japan"},
                   "countryiso3code":"JPN","date":"2024","value":null,"unit":"","obs_status":"","decimal":0}]]
                """;
        Imports.Result r = Imports.run("wdi-api", page, null);
        assertEquals(LocalDate.of(2026, 2, 24), r.report().vintage());
        assertEquals(2, r.report().page());
        assertEquals(3, r.report().pages());
        assertEquals(5, r.report().total());
        assertEquals(4212945440000.5, value(r, "macro|JPN|||GDP_USD", "2023"));
        assertEquals(1, r.report().missing(), "value null is missing");
        assertEquals(2, r.report().read());
    }

    @Test
    void shouldTurnAWorldBankErrorSentAs200IntoAClearError() {
        String answer = """
                [{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]
                """;
        ImportException e = assertThrows(ImportException.class, () -> Imports.run("wdi-api", answer, null));
        assertEquals("the World Bank API answered with an error: 120 Invalid value: The provided parameter value "
                + "is not valid", e.getMessage());
    }

    // --- SDMX-CSV

    @Test
    void shouldReadSdmxCsv10WithSemicolonsColumnsInAnyOrderAndUnitMultiplier() {
        String file = "dataflow;TIME_PERIOD;obs_value;ref_area;INDICATOR;UNIT_MULT;OBS_STATUS\n"
                + "WB.DATA360:DS_DATA360(1.2);2022;1,5;JPN;UNCTAD_DE_DIG_SERVTRADE_ANN_EXP;9;E\n"
                + "WB.DATA360:DS_DATA360(1.2);2023;2500;JPN;UNCTAD_DE_DIG_SERVTRADE_ANN_EXP;3;A\n"
                + "OTHER:FLOW(1.0);2023;7;JPN;UNCTAD_DE_DIG_SERVTRADE_ANN_EXP;0;A\n";
        Imports.Result r = Imports.run("unctad-dds", file, VINTAGE);
        // 1,5 is no number in a file whose separator is ';': rejected alone
        assertEquals(1, r.report().rejected());
        assertEquals(2, r.report().rejects().get(0).line());
        // 2500 × 10^3 US$ = 2.5 US$ millions
        assertEquals(2.5, value(r, "trade|JPN|WLD|EXPORT|DDS", "2023"), 1e-12);
        assertEquals("A", event(r, "trade|JPN|WLD|EXPORT|DDS", "2023").status());
        assertEquals(1, r.report().skipped(), "another dataflow");
    }

    @Test
    void shouldReadSdmxCsv20WithTabsLabelsAndActions() {
        String file = "STRUCTURE\tSTRUCTURE_ID\tACTION\tREF_AREA: Reference area\tINDICATOR\tTIME_PERIOD\tOBS_VALUE"
                + "\tUNIT_MULT\tOBS_STATUS\n"
                + "dataflow\twb.data360:ds_data360(1.2)\tI\tAUS: Australia\tUNCTAD_DE_DIG_SERVTRADE_ANN_EXP\t2021\t1"
                + "\t6\tA\n"
                + "dataflow\tWB.DATA360:DS_DATA360(1.2)\tR\tAUS: Australia\tUNCTAD_DE_DIG_SERVTRADE_ANN_EXP\t2022\t2"
                + "\t6\tA\n"
                + "dataflow\tWB.DATA360:DS_DATA360(1.2)\tD\tAUS: Australia\tUNCTAD_DE_DIG_SERVTRADE_ANN_EXP\t2020\t"
                + "\t\t\n"
                + "dataflow\tWB.DATA360:DS_DATA360(1.2)\tX\tAUS: Australia\tUNCTAD_DE_DIG_SERVTRADE_ANN_EXP\t2019\t3"
                + "\t6\tA\n";
        Imports.Result r = Imports.run("unctad-dds", file, VINTAGE);
        assertEquals(1, value(r, "trade|AUS|WLD|EXPORT|DDS", "2021"), 1e-12);
        assertEquals(2, value(r, "trade|AUS|WLD|EXPORT|DDS", "2022"), 1e-12);
        List<ImportItem.Retraction> retractions = r.retractions();
        assertEquals(1, retractions.size());
        ImportItem.Retraction d = retractions.get(0);
        assertEquals("trade|AUS|WLD|EXPORT|DDS", d.key());
        assertEquals("2020", d.period());
        assertEquals(VINTAGE, d.vintage());
        assertEquals("urn:unctad:digitally-deliverable-services", d.source());
        assertEquals(1, r.report().rejected());
        assertTrue(r.report().rejects().get(0).reason().contains("ACTION 'X'"));
        assertEquals(0, r.report().missing(), "a D row needs no value");
    }

    // --- long CSV

    @Test
    void shouldCountEveryMissingTokenAsMissingNeverZero() {
        String file = "Country Name,Country Code,Year,Value\nJapan,JPN,2019,..\nJapan,JPN,2020,NaN\n"
                + "Japan,JPN,2021,#N/A\nJapan,JPN,2022,null\nJapan,JPN,2023,\nJapan,JPN,2024,0\n"
                + "Japan,JPN,20x4,5\n";
        Imports.Result r = Imports.run("datasets-gdp", file, VINTAGE);
        assertEquals(5, r.report().missing());
        assertEquals(1, r.report().published());
        assertEquals(0, value(r, "macro|JPN|||GDP_USD", "2024"), "a real zero stays a zero");
        assertEquals(1, r.report().rejected());
        assertEquals(8, r.report().rejects().get(0).line());
    }

    @Test
    void shouldNameTheMissingColumnOfALongCsv() {
        ImportException e = assertThrows(ImportException.class,
                () -> Imports.run("oecd-dstri", "Year,ISO,Value\n2024,JPN,0.1\n", VINTAGE));
        assertTrue(e.getMessage().contains("'Breakdown'"), e.getMessage());
    }

    @Test
    void shouldPutPolicyIndexValuesAtTheEndOfTheirYear() {
        String file = "Year,Indicator,ISO,Country,Breakdown,Unit of measure,Value\n"
                + "2024,OECD Digital Services Trade Restrictiveness Index,JPN,Japan,Indicator DSTRI,Index,0.08\n";
        Imports.Result r = Imports.run("oecd-dstri", file, VINTAGE);
        JsonNode data = Imports.data(event(r, "policy|JPN|||DSTRI", "2024-12-31"));
        assertEquals("2024-12-31", data.get("effective").asText());
        assertEquals(0.08, data.get("indexValue").asDouble());
        assertNull(data.get("period"));
    }

    // --- detection

    @Test
    void shouldTellTheDatasetFromThePublisherCodes() throws IOException {
        Importer importer = new Importer(Imports.DATASETS);
        assertEquals("wdi-bulk", detect(importer, "\uFEFF\"Data Source\",\"WDI\",\n\n\"Last Updated Date\",\"2026-02-24\","
                + "\n\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2023\",\n"
                + "\"Japan\",\"JPN\",\"x\",\"NY.GDP.MKTP.CD\",\"1\",\n"));
        assertEquals("wdi-api", detect(importer, "[{\"page\":1,\"pages\":1,\"per_page\":50,\"total\":1,"
                + "\"lastupdated\":\"2026-02-24\"},[{\"indicator\":{\"id\":\"IT.NET.USER.ZS\"},"
                + "\"countryiso3code\":\"JPN\",\"date\":\"2023\",\"value\":1}]]"));
        assertEquals("unctad-dds", detect(importer, "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,"
                + "OBS_VALUE\ndataflow,WB.DATA360:DS_DATA360(1.2),I,JPN,UNCTAD_DE_ICT_CORE_UBS_ANN_ALL_B3,2023,1\n"
                + "dataflow,WB.DATA360:DS_DATA360(1.2),I,JPN,UNCTAD_DE_DIG_SERVTRADE_ANN_IMP,2023,1\n"));
        ImportException unknown = assertThrows(ImportException.class, () -> detect(importer,
                "Country Name,Country Code,Indicator Name,Indicator Code,2023\nJapan,JPN,x,SP.POP.TOTL,1\n"));
        assertTrue(unknown.getMessage().contains("name the dataset"), unknown.getMessage());
        ImportException longCsv = assertThrows(ImportException.class, () -> detect(importer,
                "Country Name,Country Code,Year,Value\nJapan,JPN,2023,1\n"));
        assertTrue(longCsv.getMessage().contains("name the dataset"), longCsv.getMessage());
        assertThrows(ImportException.class, () -> detect(importer, "[{\"message\":[{\"id\":\"175\","
                + "\"key\":\"Invalid format\",\"value\":\"The indicator was not found\"}]}]"));
    }

    @Test
    void shouldLeaveTheStreamWhereItWasAfterDetecting() throws IOException {
        byte[] file = ("Last Updated Date,2026-02-24\nCountry Name,Country Code,Indicator Name,Indicator Code,2023\n"
                + "Japan,JPN,x,NY.GDP.MKTP.CD,1\n").getBytes(StandardCharsets.UTF_8);
        Importer importer = new Importer(Imports.DATASETS);
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(file));
        Datasets.Dataset dataset = importer.detect(in);
        List<ImportItem> items = new java.util.ArrayList<>();
        ImportReport report = importer.run(dataset, in, null, items::add);
        assertEquals(1, report.published());
    }

    private static String detect(Importer importer, String text) throws IOException {
        return importer.detect(new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
                .id();
    }
}
