package io.dtm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dtm.demo.DemoDataSet;
import io.dtm.events.Feed;
import io.dtm.events.Unit;
import io.dtm.support.TestClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schemas of the four {@code data} shapes (served at {@code /schemas/v1/<feed>.json}) agree with
 * {@link DataValidator}, which is what the service actually enforces.
 *
 * <p>Known differences, kept out of the agreement table and pinned down in {@link #knownDifferences}:
 * <ul>
 * <li>Country codes: the schemas check the shape only (three upper-case letters, RCEP or NON_RCEP); the validator
 * also requires an ISO 3166 alpha-3 code or WLD, RCEP, NON_RCEP, so {@code ZZZ} passes the schema only. Every code
 * the validator accepts fits the schema pattern.</li>
 * <li>{@code description} length: JSON Schema {@code maxLength} counts code points, the validator counts UTF-16
 * units, so 2000 characters outside the Basic Multilingual Plane pass the schema only.</li>
 * <li>Numbers too large for a double (such as {@code 1e400}) are read as infinity, which the validator rejects as
 * not finite and the schema has no way to express; likewise a finite value whose amount in USD is not (such as
 * {@code 1e300} {@code USD_BN}).</li>
 * <li>Plausibility against today: a period or effective date before 1900 or more than ten years ahead, a vintage
 * after tomorrow (judged here against {@link TestClock#TODAY}), and a hub id whose first three letters are not an
 * ISO 3166 country ({@code ZZZ-HUB}) pass the schema only.</li>
 * <li>Patterns are anchored with {@code ^…$}. Under ECMA-262 (the regular-expression dialect of JSON Schema)
 * {@code $} matches only at the end of the string, as the validator's full matches do; with the JDK engine used here
 * {@code $} also matches before a final line terminator, so a value such as {@code "CHN\n"} is not in the table.</li>
 * </ul>
 */
class DataSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SOURCE = "urn:dtm:test:schemas";
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /** Format assertion is off by default in draft 2020-12; it is what makes {@code format: date} reject 2023-02-30. */
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static final Map<Feed, JsonNode> SCHEMA_NODES = new EnumMap<>(Feed.class);
    private static final Map<Feed, JsonSchema> SCHEMAS = new EnumMap<>(Feed.class);

    static {
        for (Feed feed : Feed.values()) {
            JsonNode node = load("META-INF/resources/schemas/v1/" + feed.label() + ".json");
            SCHEMA_NODES.put(feed, node);
            SCHEMAS.put(feed, FACTORY.getSchema(node, CONFIG));
        }
    }

    /** Keywords the schemas may use; anything else is most likely a misspelt keyword, which validators ignore. */
    /** The list of fields in the validator's message on an unknown field. */
    private static final Pattern FIELD_LIST = Pattern.compile("fields: ([A-Za-z]+(?:, [A-Za-z]+)*)");

    private static final Set<String> KEYWORDS = Set.of("$schema", "$id", "title", "description", "type", "required",
            "additionalProperties", "properties", "if", "then", "enum", "pattern", "format", "minimum", "maximum",
            "maxLength", "examples");

    // ---------------------------------------------------------------------------------------------------------------
    // The schemas themselves

    @ParameterizedTest
    @EnumSource(Feed.class)
    void schemaIsAValidDraft202012Schema(Feed feed) {
        JsonNode node = SCHEMA_NODES.get(feed);
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);
        Set<ValidationMessage> problems = metaSchema.validate(node);
        assertTrue(problems.isEmpty(), feed + " schema against the 2020-12 meta-schema: " + problems);

        assertEquals(DRAFT_2020_12, node.path("$schema").asText());
        assertEquals("urn:dtm:schema:v1:" + feed.label(), node.path("$id").asText());
        assertFalse(node.path("title").asText().isBlank(), "title");
        assertFalse(node.path("description").asText().isBlank(), "description");
        assertEquals("object", node.path("type").asText());
        assertTrue(node.path("additionalProperties").isBoolean() && !node.path("additionalProperties").booleanValue(),
                "additionalProperties must be false");
        assertTrue(node.path("description").asText().contains(feed.eventType()), "description names the event type");
        assertTrue(node.path("description").asText().contains("ISO 3166"), "description says countries are checked "
                + "for their shape only");

        Set<String> properties = names(node.path("properties"));
        for (String name : properties) {
            assertFalse(node.path("properties").path(name).path("description").asText().isBlank(),
                    feed + "." + name + " has no description");
        }
        for (JsonNode required : node.path("required")) {
            assertTrue(properties.contains(required.asText()), "required field not declared: " + required);
        }
        List<String> unknown = new ArrayList<>();
        keywords(node, "", unknown);
        assertTrue(unknown.isEmpty(), "unexpected keywords in the " + feed + " schema: " + unknown);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void schemaDeclaresExactlyTheFieldsTheValidatorKnows(Feed feed) {
        JsonNode schema = SCHEMA_NODES.get(feed);

        ObjectNode unknown = MAPPER.createObjectNode().put("notAField", "x");
        FieldError error = DataValidator.validate(feed, unknown, SOURCE, "fields", TestClock.TODAY).errors().stream()
                .filter(e -> e.name().equals("notAField")).findFirst().orElseThrow();
        Matcher list = FIELD_LIST.matcher(error.message());
        assertTrue(list.find(), "the validator names its fields: " + error.message());
        assertEquals(new TreeSet<>(Arrays.asList(list.group(1).split(", "))), names(schema.path("properties")),
                "fields the validator knows vs properties of the " + feed + " schema");

        Set<String> requiredByValidator = DataValidator.validate(feed, MAPPER.createObjectNode(), SOURCE, "empty", TestClock.TODAY)
                .errors().stream().map(FieldError::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> requiredBySchema = new TreeSet<>();
        schema.path("required").forEach(r -> requiredBySchema.add(r.asText()));
        assertEquals(requiredByValidator, requiredBySchema, "required fields of " + feed);
    }

    @Test
    void enumsMatchTheValidator() {
        Set<String> allUnits = Arrays.stream(Unit.values()).map(Unit::name).collect(Collectors.toSet());
        Set<String> moneyUnits = Arrays.stream(Unit.values()).filter(Unit::monetary).map(Unit::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("USD", "USD_MN", "USD_BN", "USD_100MN"), moneyUnits);
        assertEquals(moneyUnits, strings(SCHEMA_NODES.get(Feed.TRADE).at("/properties/unit/enum")));
        assertEquals(allUnits, strings(SCHEMA_NODES.get(Feed.COMPUTE).at("/properties/unit/enum")));
        assertEquals(allUnits, strings(SCHEMA_NODES.get(Feed.MACRO).at("/properties/unit/enum")));
        assertEquals(DataValidator.INDEX_MEASURES,
                strings(SCHEMA_NODES.get(Feed.POLICY).at("/if/properties/measure/enum")));
        Set<String> categories = new TreeSet<>(DataValidator.TRADE_CATEGORIES);
        categories.addAll(Ebops2010.CODES.keySet());
        assertEquals(categories, strings(SCHEMA_NODES.get(Feed.TRADE).at("/properties/category/enum")),
                "the trade categories of the schema are the validator's and the EBOPS 2010 list");
    }

    @Test
    void everyCountryTheValidatorKnowsFitsTheSchema() {
        assertTrue(DataValidator.COUNTRIES.size() > 240, "ISO 3166 alpha-3 codes plus aggregates");
        for (String code : DataValidator.COUNTRIES) {
            for (Feed feed : Feed.values()) {
                ObjectNode data = base(feed);
                data.put(feed == Feed.TRADE ? "reporter" : feed == Feed.COMPUTE ? "region" : "country", code);
                assertTrue(schemaErrors(feed, data).isEmpty(), feed + " schema rejects country " + code);
                assertTrue(validatorErrors(feed, data).isEmpty(), "validator rejects country " + code);
            }
        }
    }

    /** The examples a schema gives are values both the schema and the validator accept. */
    @ParameterizedTest
    @EnumSource(Feed.class)
    void examplesInTheSchemaAreAccepted(Feed feed) {
        int examples = 0;
        Iterator<Map.Entry<String, JsonNode>> properties = SCHEMA_NODES.get(feed).path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            for (JsonNode example : property.getValue().path("examples")) {
                ObjectNode data = base(feed);
                if (feed == Feed.POLICY) {
                    data.put("indexValue", 0.3); // in range for every measure, needed by DSTRI and STRI
                }
                data.set(property.getKey(), example);
                assertEquals(List.of(), schemaErrors(feed, data), feed + "." + property.getKey() + " = " + example);
                assertEquals(List.of(), validatorErrors(feed, data), feed + "." + property.getKey() + " = " + example);
                examples++;
            }
        }
        assertTrue(examples > 0, feed + " schema gives no examples");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (a) The demo data set

    static Stream<Arguments> demoEvents() {
        return StreamSupport.stream(DemoDataSet.events().spliterator(), false)
                .map(e -> Arguments.of(e.path("source").asText() + " " + e.path("id").asText(), e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demoEvents")
    void demoEventIsValidUnderItsSchemaAndAccepted(String name, JsonNode event) {
        Feed feed = Feed.ofEventType(event.path("type").asText()).orElseThrow();
        JsonNode data = event.get("data");
        assertNotNull(data, "demo event without data");
        assertEquals(List.of(), schemaErrors(feed, data), "schema");
        DataValidator.Result result = DataValidator.validate(feed, data, event.path("source").asText(),
                event.path("id").asText(), TestClock.TODAY);
        assertEquals(List.of(), result.errors(), "validator");
        assertTrue(result.observation().isPresent());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (b) Invalid and edge-case data: the schema and the validator give the same verdict

    /** A hand-written {@code data} object and whether it must be accepted. */
    record Case(String name, Feed feed, ObjectNode data, boolean valid) {
        @Override
        public String toString() {
            return feed.label() + ": " + name + (valid ? " (valid)" : " (invalid)");
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // trade
                valid("minimal observation", Feed.TRADE, d -> { }),
                valid("EBOPS sub-item with a quarter", Feed.TRADE, d -> d.put("category", "SJ211").put("period", "2024-Q4")),
                valid("bare EBOPS services code S", Feed.TRADE, d -> d.put("category", "S")),
                valid("EBOPS code with a lettered item SC3A", Feed.TRADE, d -> d.put("category", "SC3A")),
                invalid("EBOPS-shaped code not in the list", Feed.TRADE, d -> d.put("category", "SI9")),
                valid("month, USD_100MN, negative reported growth, synthetic", Feed.TRADE, d -> d.put("period", "2024-12")
                        .put("unit", "USD_100MN").put("reportedGrowthPct", -4.2).put("synthetic", true)),
                valid("value zero", Feed.TRADE, d -> d.put("value", 0)),
                valid("integer value", Feed.TRADE, d -> d.put("value", 933)),
                valid("null optional reportedGrowthPct is absent", Feed.TRADE, d -> d.putNull("reportedGrowthPct")),
                valid("world aggregate partner and RCEP reporter", Feed.TRADE, d -> d.put("reporter", "RCEP")),
                invalid("missing unit", Feed.TRADE, d -> d.remove("unit")),
                invalid("missing reporter", Feed.TRADE, d -> d.remove("reporter")),
                invalid("null value", Feed.TRADE, d -> d.putNull("value")),
                invalid("flow not in enum", Feed.TRADE, d -> d.put("flow", "RE_EXPORT")),
                invalid("non-monetary unit PCT", Feed.TRADE, d -> d.put("unit", "PCT")),
                invalid("non-monetary unit COUNT", Feed.TRADE, d -> d.put("unit", "COUNT")),
                invalid("unknown unit EUR", Feed.TRADE, d -> d.put("unit", "EUR")),
                invalid("unit in lower case", Feed.TRADE, d -> d.put("unit", "usd_bn")),
                invalid("negative value", Feed.TRADE, d -> d.put("value", -1)),
                invalid("value as a string", Feed.TRADE, d -> d.put("value", "385.9")),
                invalid("EBOPS code beyond SL", Feed.TRADE, d -> d.put("category", "SM")),
                invalid("EBOPS code with five digits", Feed.TRADE, d -> d.put("category", "SI12345")),
                invalid("category in lower case", Feed.TRADE, d -> d.put("category", "dds")),
                invalid("quarter Q5", Feed.TRADE, d -> d.put("period", "2024-Q5")),
                invalid("month 13", Feed.TRADE, d -> d.put("period", "2024-13")),
                invalid("month 00", Feed.TRADE, d -> d.put("period", "2024-00")),
                invalid("two-digit year", Feed.TRADE, d -> d.put("period", "24")),
                invalid("a date is not a period", Feed.TRADE, d -> d.put("period", "2024-07-01")),
                invalid("period as a number", Feed.TRADE, d -> d.put("period", 2024)),
                invalid("unknown extra field", Feed.TRADE, d -> d.put("currency", "USD")),
                invalid("reporter in lower case", Feed.TRADE, d -> d.put("reporter", "chn")),
                invalid("two-letter reporter", Feed.TRADE, d -> d.put("reporter", "CN")),
                invalid("reportedGrowthPct as a string", Feed.TRADE, d -> d.put("reportedGrowthPct", "3.5%")),
                invalid("synthetic as a string", Feed.TRADE, d -> d.put("synthetic", "yes")),

                // compute
                valid("minimal observation", Feed.COMPUTE, d -> { }),
                valid("hub region with a hub group", Feed.COMPUTE, d -> d.put("region", "CHN-GUIZHOU")
                        .put("hubGroup", "NATIONAL_HUB_NODE")),
                valid("aggregate region, percentage", Feed.COMPUTE, d -> d.put("region", "RCEP")
                        .put("metric", "INTERNET_USERS_PCT").put("value", 78.5).put("unit", "PCT")),
                valid("metric of 64 characters", Feed.COMPUTE, d -> d.put("metric", "M" + "_".repeat(63))),
                valid("leap day vintage", Feed.COMPUTE, d -> d.put("vintage", "2024-02-29")),
                invalid("hub without a country prefix", Feed.COMPUTE, d -> d.put("region", "GUIZHOU")),
                invalid("hub group in lower case", Feed.COMPUTE, d -> d.put("hubGroup", "east")),
                invalid("metric starting with a digit", Feed.COMPUTE, d -> d.put("metric", "5G_COVERAGE_PCT")),
                invalid("metric of 65 characters", Feed.COMPUTE, d -> d.put("metric", "M" + "_".repeat(64))),
                invalid("negative value", Feed.COMPUTE, d -> d.put("value", -0.5)),
                invalid("missing vintage", Feed.COMPUTE, d -> d.remove("vintage")),
                invalid("vintage without zero padding", Feed.COMPUTE, d -> d.put("vintage", "2025-9-1")),
                invalid("vintage 2023-02-30 does not exist", Feed.COMPUTE, d -> d.put("vintage", "2023-02-30")),
                invalid("vintage 2023-02-29 is not a leap day", Feed.COMPUTE, d -> d.put("vintage", "2023-02-29")),
                invalid("vintage with a time", Feed.COMPUTE, d -> d.put("vintage", "2025-09-01T00:00:00Z")),
                invalid("unknown unit TFLOPS", Feed.COMPUTE, d -> d.put("unit", "TFLOPS")),
                invalid("trade field reporter", Feed.COMPUTE, d -> d.put("reporter", "CHN")),

                // policy
                valid("event measure without indexValue", Feed.POLICY, d -> { }),
                valid("DSTRI with indexValue", Feed.POLICY, d -> d.put("measure", "DSTRI").put("indexValue", 0.25)
                        .put("direction", "RESTRICTIVE")),
                valid("STRI at the closed end, 1", Feed.POLICY, d -> d.put("measure", "STRI").put("indexValue", 1)),
                valid("DSTRI at the open end, 0", Feed.POLICY, d -> d.put("measure", "DSTRI").put("indexValue", 0)),
                valid("other measure with an indexValue in range", Feed.POLICY, d -> d.put("measure", "DATA_LOCALISATION")
                        .put("indexValue", 0.4).put("direction", "NEUTRAL")),
                valid("description of 2000 characters", Feed.POLICY, d -> d.put("description", "x".repeat(2000))),
                valid("null description and synthetic", Feed.POLICY, d -> d.putNull("description").putNull("synthetic")),
                invalid("DSTRI without indexValue", Feed.POLICY, d -> d.put("measure", "DSTRI")),
                invalid("STRI with a null indexValue", Feed.POLICY, d -> d.put("measure", "STRI").putNull("indexValue")),
                invalid("DSTRI indexValue 1.5", Feed.POLICY, d -> d.put("measure", "DSTRI").put("indexValue", 1.5)),
                invalid("DSTRI indexValue below 0", Feed.POLICY, d -> d.put("measure", "DSTRI").put("indexValue", -0.1)),
                invalid("other measure with indexValue 1.2", Feed.POLICY, d -> d.put("indexValue", 1.2)),
                invalid("indexValue as a string", Feed.POLICY, d -> d.put("measure", "DSTRI").put("indexValue", "0.3")),
                invalid("measure in lower case", Feed.POLICY, d -> d.put("measure", "dstri")),
                invalid("direction not in enum", Feed.POLICY, d -> d.put("direction", "OPENING")),
                invalid("missing direction", Feed.POLICY, d -> d.remove("direction")),
                invalid("effective 2023-02-30 does not exist", Feed.POLICY, d -> d.put("effective", "2023-02-30")),
                invalid("effective is a year, not a date", Feed.POLICY, d -> d.put("effective", "2022")),
                invalid("description of 2001 characters", Feed.POLICY, d -> d.put("description", "x".repeat(2001))),
                invalid("description as a number", Feed.POLICY, d -> d.put("description", 42)),
                invalid("policy events carry no period", Feed.POLICY, d -> d.put("period", "2022")),
                invalid("policy events carry no value or unit", Feed.POLICY, d -> d.put("value", 1).put("unit", "INDEX")),

                // macro
                valid("minimal observation", Feed.MACRO, d -> { }),
                valid("negative WGI_REGULATORY_QUALITY", Feed.MACRO, d -> d.put("indicator", "WGI_REGULATORY_QUALITY")
                        .put("value", -0.35).put("unit", "INDEX")),
                valid("GDP_USD zero", Feed.MACRO, d -> d.put("value", 0)),
                valid("NON_RCEP aggregate in USD_MN", Feed.MACRO, d -> d.put("country", "NON_RCEP").put("unit", "USD_MN")),
                valid("world population", Feed.MACRO, d -> d.put("country", "WLD").put("indicator", "POPULATION")
                        .put("value", 8.0e9).put("unit", "COUNT").put("synthetic", false)),
                invalid("negative GDP_USD", Feed.MACRO, d -> d.put("value", -1.0e9)),
                invalid("negative POPULATION", Feed.MACRO, d -> d.put("indicator", "POPULATION").put("value", -1)
                        .put("unit", "COUNT")),
                invalid("country WORLD", Feed.MACRO, d -> d.put("country", "WORLD")),
                invalid("missing indicator", Feed.MACRO, d -> d.remove("indicator")),
                invalid("indicator with a dash", Feed.MACRO, d -> d.put("indicator", "GDP-USD")),
                invalid("unknown unit PER_1000", Feed.MACRO, d -> d.put("unit", "PER_1000")),
                invalid("missing unit", Feed.MACRO, d -> d.remove("unit")),
                invalid("null vintage", Feed.MACRO, d -> d.putNull("vintage")),
                invalid("vintage as a number", Feed.MACRO, d -> d.put("vintage", 20240701)),
                invalid("compute field hubGroup", Feed.MACRO, d -> d.put("hubGroup", "G20")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void schemaAndValidatorAgree(Case c) {
        List<String> schema = schemaErrors(c.feed(), c.data());
        List<String> validator = validatorErrors(c.feed(), c.data());
        assertEquals(c.valid(), schema.isEmpty(), "schema verdict on " + c.data() + ": " + schema);
        assertEquals(c.valid(), validator.isEmpty(), "validator verdict on " + c.data() + ": " + validator);
    }

    @Test
    void theTableCoversEveryFeedBothWays() {
        List<Case> all = cases().toList();
        assertTrue(all.size() >= 25, "at least 25 cases");
        for (Feed feed : Feed.values()) {
            assertTrue(all.stream().anyMatch(c -> c.feed() == feed && c.valid()), feed + " has a valid case");
            assertTrue(all.stream().anyMatch(c -> c.feed() == feed && !c.valid()), feed + " has an invalid case");
        }
        assertEquals(all.size(), all.stream().map(Case::toString).distinct().count(), "case names are unique");
    }

    /** Dropping any required field is rejected by both; dropping any optional one is accepted by both. */
    @ParameterizedTest
    @EnumSource(Feed.class)
    void everyRequiredFieldIsRequiredByBoth(Feed feed) {
        JsonNode schema = SCHEMA_NODES.get(feed);
        Set<String> required = strings(schema.path("required"));
        ObjectNode full = base(feed);
        switch (feed) {
            case TRADE -> full.put("reportedGrowthPct", 3.5).put("synthetic", false);
            case COMPUTE -> full.put("region", "CHN-GUIZHOU").put("hubGroup", "NATIONAL_HUB_NODE").put("synthetic", true);
            case POLICY -> full.put("indexValue", 0.6).put("description", "Sample change").put("synthetic", false);
            case MACRO -> full.put("synthetic", false);
        }
        assertEquals(names(schema.path("properties")), names(full), "the full " + feed + " sample sets every field");
        for (String field : names(full)) {
            ObjectNode data = full.deepCopy();
            data.remove(field);
            boolean valid = !required.contains(field);
            assertEquals(valid, schemaErrors(feed, data).isEmpty(), "schema without " + field);
            assertEquals(valid, validatorErrors(feed, data).isEmpty(), "validator without " + field);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Known differences (see the class comment): the schema accepts, the validator rejects

    static Stream<Arguments> knownDifferenceCases() {
        return Stream.of(
                Arguments.of("country of the right shape that is not ISO 3166", Feed.MACRO,
                        base(Feed.MACRO).put("country", "ZZZ")),
                Arguments.of("description of 2000 code points but 4000 UTF-16 units", Feed.POLICY,
                        base(Feed.POLICY).put("description", "\uD83C\uDF10".repeat(2000))),
                Arguments.of("value too large for a double", Feed.TRADE,
                        parse("{\"reporter\":\"CHN\",\"partner\":\"WLD\",\"flow\":\"EXPORT\",\"category\":\"DDS\","
                                + "\"period\":\"2023\",\"value\":1e400,\"unit\":\"USD\",\"vintage\":\"2025-09-01\"}")),
                Arguments.of("value whose amount in USD is too large for a double", Feed.MACRO,
                        base(Feed.MACRO).put("value", 1e300).put("unit", "USD_BN")),
                Arguments.of("vintage after tomorrow", Feed.TRADE,
                        base(Feed.TRADE).put("vintage", TestClock.TODAY.plusDays(2).toString())),
                Arguments.of("vintage 9999-12-31", Feed.MACRO, base(Feed.MACRO).put("vintage", "9999-12-31")),
                Arguments.of("period before 1900", Feed.COMPUTE, base(Feed.COMPUTE).put("period", "1899-12")),
                Arguments.of("period more than ten years ahead", Feed.TRADE,
                        base(Feed.TRADE).put("period", Integer.toString(TestClock.TODAY.getYear() + 11))),
                Arguments.of("effective date more than ten years ahead", Feed.POLICY,
                        base(Feed.POLICY).put("effective", "9999-01-01")),
                Arguments.of("hub id under a code that is not a country", Feed.COMPUTE,
                        base(Feed.COMPUTE).put("region", "ZZZ-HUB")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownDifferenceCases")
    void knownDifferences(String name, Feed feed, JsonNode data) {
        assertEquals(List.of(), schemaErrors(feed, data), "schema");
        assertFalse(validatorErrors(feed, data).isEmpty(), "validator accepted " + data);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (c) The retraction (dtm.retraction.v1), whose data names a series of any feed

    private static final JsonNode RETRACTION_NODE = load("META-INF/resources/schemas/v1/retraction.json");
    private static final JsonSchema RETRACTION = FACTORY.getSchema(RETRACTION_NODE, CONFIG);

    @Test
    void retractionSchemaIsAValidDraft202012SchemaThatNamesItsEventType() {
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);
        assertEquals(Set.of(), metaSchema.validate(RETRACTION_NODE), "against the 2020-12 meta-schema");
        assertEquals("urn:dtm:schema:v1:retraction", RETRACTION_NODE.path("$id").asText());
        assertTrue(RETRACTION_NODE.path("description").asText().contains(EventDecoder.RETRACTION));
        assertFalse(RETRACTION_NODE.path("additionalProperties").booleanValue());
        RETRACTION_NODE.path("properties").fields().forEachRemaining(p -> assertFalse(
                p.getValue().path("description").asText().isBlank(), p.getKey() + " has no description"));
    }

    /** Per feed, the fields the schema allows and requires are those the validator knows and requires. */
    @ParameterizedTest
    @EnumSource(Feed.class)
    void retractionSchemaAllowsAndRequiresExactlyWhatTheValidatorDoes(Feed feed) {
        ObjectNode unknown = retraction(feed).put("notAField", "x");
        FieldError error = DataValidator.retraction(unknown, SOURCE, "fields", TestClock.TODAY).errors().stream()
                .filter(e -> e.name().equals("notAField")).findFirst().orElseThrow();
        Matcher list = FIELD_LIST.matcher(error.message());
        assertTrue(list.find(), error.message());
        JsonNode branch = retractionBranch(feed);
        assertEquals(new TreeSet<>(Arrays.asList(list.group(1).split(", "))), strings(branch.at("/propertyNames/enum")),
                "fields of a " + feed + " retraction");
        assertFalse(schemaErrors(RETRACTION, unknown).isEmpty(), "the schema refuses an unknown field");

        ObjectNode onlyFeed = MAPPER.createObjectNode().put("feed", feed.label());
        Set<String> requiredByValidator = DataValidator.retraction(onlyFeed, SOURCE, "empty", TestClock.TODAY)
                .errors().stream().map(FieldError::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> requiredBySchema = new TreeSet<>(strings(branch.path("required")));
        RETRACTION_NODE.path("required").forEach(r -> requiredBySchema.add(r.asText()));
        requiredBySchema.remove("feed");
        assertEquals(requiredByValidator, requiredBySchema, "required fields of a " + feed + " retraction");
    }

    static Stream<Arguments> retractionCases() {
        return Stream.of(
                Arguments.of("trade", retraction(Feed.TRADE), true),
                Arguments.of("compute hub, month", retraction(Feed.COMPUTE).put("region", "CHN-GUIZHOU")
                        .put("period", "2025-06"), true),
                Arguments.of("policy by effective date", retraction(Feed.POLICY), true),
                Arguments.of("macro quarter", retraction(Feed.MACRO).put("period", "2023-Q4"), true),
                Arguments.of("no feed", (ObjectNode) retraction(Feed.TRADE).without("feed"), false),
                Arguments.of("unknown feed", retraction(Feed.TRADE).put("feed", "energy"), false),
                Arguments.of("no vintage", (ObjectNode) retraction(Feed.MACRO).without("vintage"), false),
                Arguments.of("no period", (ObjectNode) retraction(Feed.COMPUTE).without("period"), false),
                Arguments.of("a field of another feed", retraction(Feed.MACRO).put("metric", "GDP_USD"), false),
                Arguments.of("a value", retraction(Feed.TRADE).put("value", 1), false),
                Arguments.of("trade without partner", (ObjectNode) retraction(Feed.TRADE).without("partner"), false),
                Arguments.of("policy period is a year", retraction(Feed.POLICY).put("period", "2023"), false),
                Arguments.of("trade period is a date", retraction(Feed.TRADE).put("period", "2023-01-01"), false),
                Arguments.of("impossible vintage", retraction(Feed.TRADE).put("vintage", "2025-02-30"), false),
                Arguments.of("flow not in enum", retraction(Feed.TRADE).put("flow", "RE_EXPORT"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retractionCases")
    void retractionSchemaAndValidatorAgree(String name, ObjectNode data, boolean valid) {
        List<String> schema = schemaErrors(RETRACTION, data);
        List<String> validator = DataValidator.retraction(data, SOURCE, "case", TestClock.TODAY).errors().stream()
                .map(FieldError::toString).toList();
        assertEquals(valid, schema.isEmpty(), "schema: " + schema);
        assertEquals(valid, validator.isEmpty(), "validator: " + validator);
    }

    private static ObjectNode retraction(Feed feed) {
        ObjectNode data = MAPPER.createObjectNode().put("feed", feed.label());
        return switch (feed) {
            case TRADE -> data.put("reporter", "CHN").put("partner", "WLD").put("flow", "EXPORT")
                    .put("category", "DDS").put("period", "2023").put("vintage", "2025-09-01");
            case COMPUTE -> data.put("region", "CHN").put("metric", "INTELLIGENT_EFLOPS_FP16")
                    .put("period", "2025").put("vintage", "2025-09-01");
            case POLICY -> data.put("country", "JPN").put("measure", "DSTRI").put("period", "2022-01-01")
                    .put("vintage", "2022-06-01");
            case MACRO -> data.put("country", "VNM").put("indicator", "GDP_USD").put("period", "2023")
                    .put("vintage", "2024-07-01");
        };
    }

    private static JsonNode retractionBranch(Feed feed) {
        for (JsonNode branch : RETRACTION_NODE.path("oneOf")) {
            if (feed.label().equals(branch.at("/properties/feed/const").asText())) {
                return branch;
            }
        }
        throw new AssertionError("no branch for " + feed);
    }

    private static List<String> schemaErrors(JsonSchema schema, JsonNode data) {
        return schema.validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A minimal valid {@code data} object of each feed. */
    private static ObjectNode base(Feed feed) {
        return switch (feed) {
            case TRADE -> MAPPER.createObjectNode().put("reporter", "CHN").put("partner", "WLD").put("flow", "EXPORT")
                    .put("category", "DDS").put("period", "2023").put("value", 385.9).put("unit", "USD_BN")
                    .put("vintage", "2025-09-01");
            case COMPUTE -> MAPPER.createObjectNode().put("region", "CHN").put("metric", "INTELLIGENT_EFLOPS_FP16")
                    .put("period", "2025-06").put("value", 788).put("unit", "EFLOPS_FP16").put("vintage", "2025-09-01");
            case POLICY -> MAPPER.createObjectNode().put("country", "JPN").put("measure", "RCEP_ENTRY_INTO_FORCE")
                    .put("effective", "2022-01-01").put("direction", "LIBERALISING").put("vintage", "2022-01-01");
            case MACRO -> MAPPER.createObjectNode().put("country", "VNM").put("indicator", "GDP_USD")
                    .put("period", "2023").put("value", 4.297e11).put("unit", "USD").put("vintage", "2024-07-01");
        };
    }

    private static Case valid(String name, Feed feed, Consumer<ObjectNode> change) {
        ObjectNode data = base(feed);
        change.accept(data);
        return new Case(name, feed, data, true);
    }

    private static Case invalid(String name, Feed feed, Consumer<ObjectNode> change) {
        ObjectNode data = base(feed);
        change.accept(data);
        return new Case(name, feed, data, false);
    }

    private static List<String> schemaErrors(Feed feed, JsonNode data) {
        return SCHEMAS.get(feed).validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static List<String> validatorErrors(Feed feed, JsonNode data) {
        return DataValidator.validate(feed, data, SOURCE, "case", TestClock.TODAY).errors().stream().map(FieldError::toString).toList();
    }

    /** Collects keys that are not known keywords, walking subschemas (property names are not keywords). */
    private static void keywords(JsonNode schema, String path, List<String> unknown) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (!KEYWORDS.contains(key)) {
                unknown.add(path + "/" + key);
            }
            switch (key) {
                case "properties" -> entry.getValue().fields().forEachRemaining(
                        p -> keywords(p.getValue(), path + "/properties/" + p.getKey(), unknown));
                case "if", "then" -> keywords(entry.getValue(), path + "/" + key, unknown);
                default -> {
                }
            }
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> strings(JsonNode array) {
        assertTrue(array.isArray() && !array.isEmpty(), "expected a non-empty array, was " + array);
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode load(String resource) {
        try (InputStream in = DataSchemaTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("not on the classpath: " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
