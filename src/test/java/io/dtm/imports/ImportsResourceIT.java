package io.dtm.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtm.streams.DeadLetters;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.dtm.support.TestAuth;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/imports} against the real broker: a World Bank bulk file in, its figures out as observations
 * through the ingest path, the same file again changing nothing, and the requests that cannot be imported refused.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class ImportsResourceIT {

    /** Two members' rows of the World Bank's internet users file, as the World Bank writes it (one year missing). */
    private static final String WDI = "\uFEFF\"Data Source\",\"World Development Indicators\",\n\n"
            + "\"Last Updated Date\",\"2026-07-13\",\n\n"
            + "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2019\",\"2020\",\"2021\",\n"
            + "\"Lao PDR\",\"LAO\",\"Individuals using the Internet (% of population)\",\"IT.NET.USER.ZS\","
            + "\"47.1\",\"55.7\",\"\",\n"
            + "\"Cambodia\",\"KHM\",\"Individuals using the Internet (% of population)\",\"IT.NET.USER.ZS\","
            + "\"41.5\",\"52.1\",\"56.7\",\n"
            + "\"World\",\"WLD\",\"Individuals using the Internet (% of population)\",\"IT.NET.USER.ZS\","
            + "\"54.0\",\"59.3\",\"62.6\",\n";

    private static JsonPath awaitDone(String location) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            last[0] = given().get(location).then().statusCode(200).extract().jsonPath();
            return !"running".equals(last[0].getString("state"));
        });
        return last[0];
    }

    private static String post(String body, String query) {
        return given().contentType("text/csv").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports" + query).then().statusCode(202)
                .header("Location", containsString("/api/v1/imports/")).extract().header("Location");
    }

    @Test
    void shouldImportAPublicationThroughTheIngestPathAndChangeNothingTheSecondTime() {
        double duplicatesBefore = ScrapedMetrics.scrape().value("dtm_events_duplicate_total", "feed", "compute");
        JsonPath first = awaitDone(post(WDI, ""));
        assertEquals("done", first.getString("state"), first.prettify());
        assertEquals("wdi-bulk", first.getString("dataset"));
        assertEquals("2026-07-13", first.getString("vintage"));
        assertEquals(5, first.getLong("rows.published"), first.prettify());
        assertEquals(1, first.getLong("rows.missing"));
        assertEquals(3, first.getLong("rows.skipped"), "the World aggregate, which the mapping does not name");
        assertEquals(9, first.getLong("rows.read"));

        try (var observations = new TopicReader<>("dtm.observations.v1", new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var record = observations.await(r -> "compute|KHM|||INTERNET_USERS_PCT|2021".equals(r.key())
                    && r.value() != null, Duration.ofSeconds(60));
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertEquals(true, value.contains("56.7") && value.contains("2026-07-13"), value);
        }

        JsonPath second = awaitDone(post(WDI, "?dataset=wdi-bulk&vintage=2026-07-13"));
        assertEquals("done", second.getString("state"), second.prettify());
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(duplicatesBefore + 5,
                ScrapedMetrics.scrape().value("dtm_events_duplicate_total", "feed", "compute"),
                "the same publication again: every event a duplicate"));
        assertEquals(10.0, ScrapedMetrics.scrape().value("dtm_import_rows_total", "dataset", "wdi-bulk", "outcome",
                "published"));
        given().get("/api/v1/imports").then().statusCode(200).body("dataset", hasItem("wdi-bulk"));
    }

    /** An SDMX-CSV 2.0 file of one figure, or of its retraction (ACTION D). */
    private static String sdmx(String action, String value) {
        return "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MULT\n"
                + "datastructure,WB.DATA360:DS_DATA360(1.2)," + action + ",BRN,UNCTAD_DE_DIG_SERVTRADE_ANN_EXP,2013,"
                + value + ",6\n";
    }

    @Test
    void shouldWithdrawAnObservationThatAnSdmxFileRetracts() {
        String key = "trade|BRN|WLD|EXPORT|DDS|2013";
        try (var observations = new TopicReader<>("dtm.observations.v1", new StringDeserializer(),
                new ByteArrayDeserializer())) {
            JsonPath added = awaitDone(post(sdmx("I", "412.5"), "?vintage=2025-12-18"));
            assertEquals(1, added.getLong("rows.published"), added.prettify());
            var record = observations.await(r -> key.equals(r.key()) && r.value() != null, Duration.ofSeconds(60));
            assertEquals(true, new String(record.value(), StandardCharsets.UTF_8).contains("2025-12-18"));

            JsonPath retracted = awaitDone(post(sdmx("D", ""), "?dataset=unctad-dds&vintage=2025-12-19"));
            assertEquals("done", retracted.getString("state"), retracted.prettify());
            assertEquals(1, retracted.getLong("rows.retracted"), retracted.prettify());
            observations.await(r -> key.equals(r.key()) && r.value() == null, Duration.ofSeconds(60));
        }
    }

    @Test
    void shouldMarkEveryEventOfAFileCutFromALaterRelease() {
        String key = "trade|BRN|WLD|EXPORT|DDS|2011";
        String cut = sdmx("I", "377.25").replace(",2013,", ",2011,");
        try (var observations = new TopicReader<>("dtm.observations.v1", new StringDeserializer(),
                new ByteArrayDeserializer())) {
            JsonPath done = awaitDone(post(cut, "?dataset=unctad-dds&vintage=2012-12-18&derivedFrom=2025-12-18"));
            assertEquals("done", done.getString("state"), done.prettify());
            assertEquals("2025-12-18", done.getString("derivedFrom"));
            var record = observations.await(r -> key.equals(r.key()) && r.value() != null, Duration.ofSeconds(60));
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertEquals(true, value.contains(
                    "unctad-dds/trade|BRN|WLD|EXPORT|DDS/2011/2012-12-18/derived-from-2025-12-18"), value);
        }
        given().contentType("text/csv").body(cut).post("/api/v1/imports?dataset=unctad-dds&vintage=2025-12-18"
                + "&derivedFrom=2025-12-18").then().statusCode(400).body("detail", containsString("after the vintage"));
        given().contentType("text/csv").body(cut).post("/api/v1/imports?dataset=unctad-dds&vintage=2012-12-18"
                + "&derivedFrom=soon").then().statusCode(400).body("errors.field", hasItem("derivedFrom"));
    }

    @Test
    void shouldDeadLetterARowThatCannotBeReadAndImportTheRest() {
        String withBadRow = WDI.replace("Lao PDR\",\"LAO", "Myanmar\",\"MMR").replace("Cambodia\",\"KHM",
                "Brunei Darussalam\",\"BRN").replace("\"56.7\"", "\"fifty-six\"");
        JsonPath done = awaitDone(post(withBadRow, "?dataset=wdi-bulk"));
        assertEquals("done", done.getString("state"), done.prettify());
        assertEquals(1, done.getLong("rows.rejected"), done.prettify());
        assertEquals(true, done.getString("rejects[0].reason").contains("fifty-six"), done.prettify());
        try (var dlq = new TopicReader<>("dtm.dlq.v1", new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var dead = dlq.await(r -> r.headers().lastHeader(DeadLetters.SOURCE_TOPIC_HEADER) != null
                    && "import:wdi-bulk".equals(new String(r.headers().lastHeader(DeadLetters.SOURCE_TOPIC_HEADER).value(),
                            StandardCharsets.UTF_8)), Duration.ofSeconds(60));
            assertEquals(true, new String(dead.value(), StandardCharsets.UTF_8).contains("Brunei"));
            assertEquals("rejected-row", new String(dead.headers().lastHeader(DeadLetters.REASON_HEADER).value(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldRefuseWhatCannotBeImported() {
        given().contentType("text/csv").body("a,b\n1,2\n").post("/api/v1/imports").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("name the dataset"));
        given().contentType("text/csv").body("Year,Indicator,ISO\n").post("/api/v1/imports?dataset=oecd-dstri")
                .then().statusCode(400).body("detail", containsString("carries no vintage"));
        given().contentType("text/csv").body(WDI).post("/api/v1/imports?dataset=no-such").then().statusCode(400)
                .body("detail", containsString("no dataset 'no-such'"));
        given().contentType("text/csv").body(WDI).post("/api/v1/imports?vintage=2026-13-01").then().statusCode(400)
                .body("errors.field", hasItem("vintage"));
        given().get("/api/v1/imports/no-such-import").then().statusCode(404);

        String failed = post(WDI, "?vintage=2025-01-01");
        JsonPath status = awaitDone(failed);
        assertEquals("failed", status.getString("state"));
        assertEquals(true, status.getString("error").contains("2026-07-13"), status.prettify());
    }

    @Test
    void shouldLetOnlyPublishersImport() {
        given().header("Authorization", TestAuth.bearer(TestAuth.READER)).contentType("text/csv").body(WDI)
                .post("/api/v1/imports").then().statusCode(403);
        given().header("Authorization", TestAuth.bearer(TestAuth.READER)).get("/api/v1/imports").then()
                .statusCode(200);
        given().header("Authorization", TestAuth.bearer(TestAuth.OPERATOR)).get("/api/v1/imports").then()
                .statusCode(403).body("status", equalTo(403));
    }
}
