package io.dtm.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.events.RejectReason;
import io.dtm.support.TestClock;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventDecoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "urn:dtm:test-publisher";
    private static final long SEED = 20240917L;

    // ---------------------------------------------------------------- event builders

    /** A CloudEvent under construction: its attributes (null = absent) and its data object. */
    private static final class Event {
        final Map<String, String> attributes = new LinkedHashMap<>();
        final ObjectNode data;

        Event(Feed feed, ObjectNode data) {
            attributes.put("specversion", "1.0");
            attributes.put("id", "evt-1");
            attributes.put("source", SOURCE);
            attributes.put("type", feed.eventType());
            this.data = data;
        }

        Event attr(String name, String value) {
            attributes.put(name, value);
            return this;
        }

        Event data(Consumer<ObjectNode> edit) {
            edit.accept(data);
            return this;
        }

        /** Structured mode: the whole event as a JSON object in the value. */
        byte[] structuredValue() {
            ObjectNode event = JSON.createObjectNode();
            attributes.forEach((name, value) -> {
                if (value != null) {
                    event.put(name, value);
                }
            });
            event.put("datacontenttype", "application/json");
            event.set("data", data);
            return bytes(event);
        }

        Headers structuredHeaders() {
            return headers(EventDecoder.CONTENT_TYPE, "application/cloudevents+json; charset=UTF-8");
        }

        /** Binary mode: attributes in ce_* headers, data in the value. */
        Headers binaryHeaders() {
            RecordHeaders headers = new RecordHeaders();
            attributes.forEach((name, value) -> {
                if (value != null) {
                    headers.add("ce_" + name, value.getBytes(StandardCharsets.UTF_8));
                }
            });
            headers.add(EventDecoder.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
            return headers;
        }

        byte[] binaryValue() {
            return bytes(data);
        }

        EventDecoder.Decoded decodeStructured(Feed topicFeed) {
            return EventDecoder.decode(structuredHeaders(), structuredValue(), topicFeed, TestClock.TODAY);
        }

        EventDecoder.Decoded decodeBinary(Feed topicFeed) {
            return EventDecoder.decode(binaryHeaders(), binaryValue(), topicFeed, TestClock.TODAY);
        }
    }

    private static ObjectNode tradeData() {
        ObjectNode d = JSON.createObjectNode();
        d.put("reporter", "CHN");
        d.put("partner", "WLD");
        d.put("flow", "EXPORT");
        d.put("category", "DDS");
        d.put("period", "2025");
        d.put("value", 49155);
        d.put("unit", "USD_100MN");
        d.put("reportedGrowthPct", 6.1);
        d.put("vintage", "2026-01-15");
        return d;
    }

    private static ObjectNode computeData() {
        ObjectNode d = JSON.createObjectNode();
        d.put("region", "CHN-GUIZHOU");
        d.put("metric", "INTELLIGENT_EFLOPS_FP16");
        d.put("period", "2024-Q3");
        d.put("value", 12.5);
        d.put("unit", "EFLOPS_FP16");
        d.put("hubGroup", "EAST_DATA_WEST_COMPUTE");
        d.put("vintage", "2024-11-02");
        return d;
    }

    private static ObjectNode policyData() {
        ObjectNode d = JSON.createObjectNode();
        d.put("country", "IDN");
        d.put("measure", "DSTRI");
        d.put("effective", "2024-07-01");
        d.put("direction", "LIBERALISING");
        d.put("indexValue", 0.25);
        d.put("description", "Services trade restrictions eased");
        d.put("vintage", "2024-08-01");
        return d;
    }

    private static ObjectNode macroData() {
        ObjectNode d = JSON.createObjectNode();
        d.put("country", "VNM");
        d.put("indicator", "GDP_USD");
        d.put("period", "2023");
        d.put("value", 3.5);
        d.put("unit", "USD_BN");
        d.put("vintage", "2024-04-30");
        return d;
    }

    private static Event event(Feed feed) {
        return new Event(feed, switch (feed) {
            case TRADE -> tradeData();
            case COMPUTE -> computeData();
            case POLICY -> policyData();
            case MACRO -> macroData();
        });
    }

    private static Observation expected(Feed feed) {
        return switch (feed) {
            case TRADE -> new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2025", 4.9155E12, "USD",
                    "2026-01-15", SOURCE, "evt-1", 6.1, null, null, null, false);
            case COMPUTE -> new Observation("compute", "CHN-GUIZHOU", "", "", "INTELLIGENT_EFLOPS_FP16", "2024-Q3",
                    12.5, "EFLOPS_FP16", "2024-11-02", SOURCE, "evt-1", null, null, null, "EAST_DATA_WEST_COMPUTE",
                    false);
            case POLICY -> new Observation("policy", "IDN", "", "", "DSTRI", "2024-07-01", 0.25, "INDEX",
                    "2024-08-01", SOURCE, "evt-1", null, "LIBERALISING", "Services trade restrictions eased", null,
                    false);
            case MACRO -> new Observation("macro", "VNM", "", "", "GDP_USD", "2023", 3.5E9, "USD", "2024-04-30",
                    SOURCE, "evt-1", null, null, null, null, false);
        };
    }

    private static byte[] bytes(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Headers headers(String... namesAndValues) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static Observation accepted(EventDecoder.Decoded decoded, Feed feed) {
        EventDecoder.Accepted accepted = assertInstanceOf(EventDecoder.Accepted.class, decoded,
                () -> "expected an accepted event, got " + decoded);
        assertEquals(feed, accepted.feed());
        return accepted.observation();
    }

    private static EventDecoder.Rejected rejected(EventDecoder.Decoded decoded) {
        return assertInstanceOf(EventDecoder.Rejected.class, decoded,
                () -> "expected a rejected event, got " + decoded);
    }

    private static Set<String> errorNames(EventDecoder.Rejected rejected) {
        return rejected.errors().stream().map(FieldError::name).collect(Collectors.toSet());
    }

    private static EventDecoder.Rejected rejectedTrade(Consumer<ObjectNode> edit) {
        return rejected(event(Feed.TRADE).data(edit).decodeStructured(Feed.TRADE));
    }

    // ---------------------------------------------------------------- accepted events

    @ParameterizedTest
    @EnumSource(Feed.class)
    void shouldDecodeValidStructuredEventOfEveryFeedToItsObservation(Feed feed) {
        Observation observation = accepted(event(feed).decodeStructured(feed), feed);

        assertEquals(expected(feed), observation);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void shouldDecodeTheSameEventInBinaryModeToTheSameObservation(Feed feed) {
        Event event = event(feed);

        Observation structured = accepted(event.decodeStructured(feed), feed);
        Observation binary = accepted(event.decodeBinary(feed), feed);

        assertEquals(structured, binary);
        assertEquals(expected(feed), binary);
    }

    @ParameterizedTest
    @CsvSource({
            "USD,       7,       7.0",
            "USD_MN,    1234.5,  1.2345E9",
            "USD_BN,    3.5,     3.5E9",
            "USD_100MN, 49155,   4.9155E12"
    })
    void shouldNormaliseMonetaryUnitsToUsdExactly(String unit, double value, double usd) {
        Observation observation = accepted(event(Feed.TRADE)
                .data(d -> {
                    d.put("unit", unit);
                    d.put("value", value);
                })
                .decodeStructured(Feed.TRADE), Feed.TRADE);

        assertEquals(usd, observation.value());
        assertEquals("USD", observation.unit());
    }

    @Test
    void shouldKeepNonMonetaryUnitsAndValuesAsTheyAre() {
        Observation observation = accepted(event(Feed.COMPUTE)
                .data(d -> {
                    d.put("metric", "INTERNET_USERS_PCT");
                    d.put("unit", "PCT");
                    d.put("value", 77.4);
                })
                .decodeStructured(Feed.COMPUTE), Feed.COMPUTE);

        assertEquals(77.4, observation.value());
        assertEquals("PCT", observation.unit());
    }

    @Test
    void shouldUsePolicyEffectiveDateAsPeriodAndIndexValueAsValue() {
        Observation observation = accepted(event(Feed.POLICY)
                .data(d -> {
                    d.put("effective", "2023-03-15");
                    d.put("indexValue", 0.4);
                })
                .decodeStructured(Feed.POLICY), Feed.POLICY);

        assertEquals("2023-03-15", observation.period());
        assertEquals(0.4, observation.value());
        assertEquals("INDEX", observation.unit());
        assertEquals("policy|IDN|||DSTRI", observation.series().toString());
    }

    @Test
    void shouldAcceptRcepEntryIntoForceWithoutIndexValue() {
        Observation observation = accepted(event(Feed.POLICY)
                .data(d -> {
                    d.put("measure", "RCEP_ENTRY_INTO_FORCE");
                    d.put("effective", "2022-01-01");
                    d.remove("indexValue");
                })
                .decodeStructured(Feed.POLICY), Feed.POLICY);

        assertEquals("RCEP_ENTRY_INTO_FORCE", observation.category());
        assertEquals("2022-01-01", observation.period());
        assertNull(observation.value());
        assertNull(observation.unit());
    }

    @Test
    void shouldAcceptStructuredModeWithoutContentTypeHeader() {
        Event event = event(Feed.TRADE);

        Observation observation = accepted(
                EventDecoder.decode(new RecordHeaders(), event.structuredValue(), Feed.TRADE, TestClock.TODAY), Feed.TRADE);

        assertEquals(expected(Feed.TRADE), observation);
    }

    @Test
    void shouldAcceptStructuredModeWithoutAnyHeaders() {
        Observation observation = accepted(
                EventDecoder.decode(null, event(Feed.MACRO).structuredValue(), Feed.MACRO, TestClock.TODAY), Feed.MACRO);

        assertEquals(expected(Feed.MACRO), observation);
    }

    @Test
    void shouldTakeSourceAndIdOfTheEventIntoTheObservation() {
        Observation observation = accepted(event(Feed.TRADE)
                .attr("source", "urn:dtm:other")
                .attr("id", "abc-42")
                .decodeBinary(Feed.TRADE), Feed.TRADE);

        assertEquals("urn:dtm:other", observation.source());
        assertEquals("abc-42", observation.id());
    }

    @Test
    void shouldAcceptOverHttpWhenNoTopicFeedIsGiven() {
        Observation observation = accepted(event(Feed.COMPUTE).decodeStructured(null), Feed.COMPUTE);

        assertEquals(expected(Feed.COMPUTE), observation);
    }

    /** Seeded random valid events: both content modes must agree and the money must come out in USD. */
    static Stream<Arguments> seededEvents() {
        Random random = new Random(SEED);
        String[] units = {"USD", "USD_MN", "USD_BN", "USD_100MN"};
        double[] factors = {1, 1e6, 1e9, 1e8};
        String[] periods = {"2019", "2024-Q1", "2024-Q4", "2021-01", "2023-12"};
        return IntStream.range(0, 40).mapToObj(i -> {
            Feed feed = Feed.values()[random.nextInt(Feed.values().length)];
            int u = random.nextInt(units.length);
            int amount = random.nextInt(1_000_000);
            String period = periods[random.nextInt(periods.length)];
            String id = "evt-" + random.nextInt(100_000);
            return Arguments.of(feed, units[u], factors[u], amount, period, id);
        });
    }

    @ParameterizedTest
    @MethodSource("seededEvents")
    void shouldDecodeSeededEventsIdenticallyInStructuredAndBinaryMode(Feed feed, String unit, double factor,
            int amount, String period, String id) {
        Event event = event(feed).attr("id", id);
        if (feed == Feed.TRADE || feed == Feed.MACRO) {
            event.data(d -> {
                d.put("unit", unit);
                d.put("value", amount);
                d.put("period", period);
            });
        } else if (feed == Feed.COMPUTE) {
            event.data(d -> {
                d.put("value", amount);
                d.put("period", period);
            });
        }

        Observation structured = accepted(event.decodeStructured(feed), feed);
        Observation binary = accepted(event.decodeBinary(feed), feed);

        assertEquals(structured, binary);
        assertEquals(id, binary.id());
        if (feed == Feed.TRADE || feed == Feed.MACRO) {
            assertEquals(amount * factor, binary.value());
            assertEquals("USD", binary.unit());
            assertEquals(period, binary.period());
        }
    }

    // ---------------------------------------------------------------- one case per reject reason

    static Stream<Arguments> rejectCases() {
        Event trade = event(Feed.TRADE);
        return Stream.of(
                Arguments.of("structured value is not JSON", RejectReason.MALFORMED, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(), "{not json".getBytes(StandardCharsets.UTF_8), Feed.TRADE),
                Arguments.of("structured value is a JSON array", RejectReason.MALFORMED, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(), "[1,2,3]".getBytes(StandardCharsets.UTF_8), Feed.TRADE),
                Arguments.of("structured value is empty", RejectReason.MALFORMED, EventDecoder.Mode.STRUCTURED,
                        new RecordHeaders(), new byte[0], Feed.TRADE),
                Arguments.of("binary data is not JSON", RejectReason.MALFORMED, EventDecoder.Mode.BINARY,
                        trade.binaryHeaders(), "value=1".getBytes(StandardCharsets.UTF_8), Feed.TRADE),
                Arguments.of("content-type is neither structured nor JSON", RejectReason.MALFORMED,
                        EventDecoder.Mode.STRUCTURED, headers(EventDecoder.CONTENT_TYPE, "text/plain"),
                        trade.structuredValue(), Feed.TRADE),
                Arguments.of("id missing", RejectReason.INVALID_ATTRIBUTE, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(), event(Feed.TRADE).attr("id", null).structuredValue(), Feed.TRADE),
                Arguments.of("binary source missing", RejectReason.INVALID_ATTRIBUTE, EventDecoder.Mode.BINARY,
                        event(Feed.TRADE).attr("source", null).binaryHeaders(), trade.binaryValue(), Feed.TRADE),
                Arguments.of("time not RFC 3339", RejectReason.INVALID_ATTRIBUTE, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(), event(Feed.TRADE).attr("time", "yesterday").structuredValue(),
                        Feed.TRADE),
                Arguments.of("unknown type", RejectReason.UNKNOWN_TYPE, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(),
                        event(Feed.TRADE).attr("type", "dtm.trade.observation.v2").structuredValue(), Feed.TRADE),
                Arguments.of("binary unknown type", RejectReason.UNKNOWN_TYPE, EventDecoder.Mode.BINARY,
                        event(Feed.TRADE).attr("type", "com.example.other").binaryHeaders(), trade.binaryValue(),
                        Feed.TRADE),
                Arguments.of("bad data field", RejectReason.INVALID_FIELD, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(),
                        event(Feed.TRADE).data(d -> d.put("flow", "SIDEWAYS")).structuredValue(), Feed.TRADE),
                Arguments.of("unknown unit", RejectReason.UNKNOWN_UNIT, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(),
                        event(Feed.TRADE).data(d -> d.put("unit", "EUR")).structuredValue(), Feed.TRADE),
                Arguments.of("binary unknown unit", RejectReason.UNKNOWN_UNIT, EventDecoder.Mode.BINARY,
                        trade.binaryHeaders(), event(Feed.TRADE).data(d -> d.put("unit", "EUR")).binaryValue(),
                        Feed.TRADE),
                Arguments.of("macro event on trade topic", RejectReason.WRONG_TOPIC, EventDecoder.Mode.STRUCTURED,
                        trade.structuredHeaders(), event(Feed.MACRO).structuredValue(), Feed.TRADE),
                Arguments.of("binary policy event on compute topic", RejectReason.WRONG_TOPIC,
                        EventDecoder.Mode.BINARY, event(Feed.POLICY).binaryHeaders(),
                        event(Feed.POLICY).binaryValue(), Feed.COMPUTE));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rejectCases")
    void shouldRejectWithTheReasonThatFits(String description, RejectReason reason, EventDecoder.Mode mode,
            Headers headers, byte[] value, Feed topicFeed) {
        EventDecoder.Rejected rejected = rejected(EventDecoder.decode(headers, value, topicFeed, TestClock.TODAY));

        assertAll(
                () -> assertEquals(reason, rejected.reason(), rejected::detail),
                () -> assertEquals(mode, rejected.mode()),
                () -> assertEquals(topicFeed.label(), rejected.feed()),
                () -> assertFalse(rejected.errors().isEmpty(), "a reject names at least one error"));
    }

    @Test
    void shouldHaveARejectCaseForEveryRejectReason() {
        Set<RejectReason> covered = rejectCases().map(a -> (RejectReason) a.get()[1])
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RejectReason.class)));

        assertEquals(EnumSet.allOf(RejectReason.class), covered);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "source"})
    void shouldRejectAnIdOrSourceLongerThanTheLimitInBothModes(String attribute) {
        String tooLong = "urn:x:" + "a".repeat(EventDecoder.MAX_ATTRIBUTE_LENGTH);
        Event event = event(Feed.TRADE).attr(attribute, tooLong);
        for (EventDecoder.Decoded decoded : List.of(event.decodeStructured(Feed.TRADE), event.decodeBinary(Feed.TRADE))) {
            EventDecoder.Rejected rejected = rejected(decoded);
            assertEquals(RejectReason.INVALID_ATTRIBUTE, rejected.reason());
            assertTrue(rejected.detail().contains(attribute) && rejected.detail().contains("at most 512"),
                    rejected::detail);
        }
        String longest = "urn:x:" + "a".repeat(EventDecoder.MAX_ID - 6); // id and source: at most 256
        assertInstanceOf(EventDecoder.Accepted.class, event(Feed.TRADE).attr(attribute, longest)
                .decodeStructured(Feed.TRADE));
    }

    // ---------------------------------------------------------------- malformed

    @Test
    void shouldRejectNonJsonStructuredValueAsMalformed() {
        EventDecoder.Rejected rejected = rejected(EventDecoder.decode(
                headers(EventDecoder.CONTENT_TYPE, EventDecoder.STRUCTURED),
                "<event/>".getBytes(StandardCharsets.UTF_8), Feed.COMPUTE, TestClock.TODAY));

        assertEquals(RejectReason.MALFORMED, rejected.reason());
        assertEquals("compute", rejected.feed());
        assertTrue(rejected.detail().contains("not JSON"), rejected::detail);
    }

    @Test
    void shouldRejectJsonArrayAsMalformed() {
        EventDecoder.Rejected rejected = rejected(EventDecoder.decode(
                headers(EventDecoder.CONTENT_TYPE, EventDecoder.STRUCTURED),
                "[{\"specversion\":\"1.0\"}]".getBytes(StandardCharsets.UTF_8), Feed.TRADE, TestClock.TODAY));

        assertEquals(RejectReason.MALFORMED, rejected.reason());
        assertTrue(rejected.detail().contains("JSON object"), rejected::detail);
    }

    @Test
    void shouldRejectBinaryDataThatIsNotJsonAsMalformed() {
        Event event = event(Feed.MACRO);

        EventDecoder.Rejected rejected = rejected(EventDecoder.decode(event.binaryHeaders(),
                "GDP=3.5".getBytes(StandardCharsets.UTF_8), Feed.MACRO, TestClock.TODAY));

        assertEquals(RejectReason.MALFORMED, rejected.reason());
        assertEquals(EventDecoder.Mode.BINARY, rejected.mode());
        assertTrue(rejected.detail().contains("data is not JSON"), rejected::detail);
    }

    @Test
    void shouldRejectNaNTokenBecauseNaNCannotAppearInJson() {
        byte[] value = new String(event(Feed.TRADE).structuredValue(), StandardCharsets.UTF_8)
                .replace("\"value\":49155", "\"value\":NaN").getBytes(StandardCharsets.UTF_8);

        EventDecoder.Rejected rejected = rejected(
                EventDecoder.decode(event(Feed.TRADE).structuredHeaders(), value, Feed.TRADE, TestClock.TODAY));

        assertEquals(RejectReason.MALFORMED, rejected.reason());
    }

    // ---------------------------------------------------------------- attributes

    @Test
    void shouldNameIdSourceAndSpecversionWhenAllThreeAreBad() {
        EventDecoder.Rejected rejected = rejected(event(Feed.TRADE)
                .attr("id", null)
                .attr("source", null)
                .attr("specversion", "0.3")
                .decodeStructured(Feed.TRADE));

        assertEquals(RejectReason.INVALID_ATTRIBUTE, rejected.reason());
        assertEquals(Set.of("id", "source", "specversion"), errorNames(rejected));
        assertTrue(rejected.errors().stream().allMatch(e -> e.location() == FieldError.Location.ATTRIBUTE));
        assertTrue(rejected.detail().contains("'0.3'"), rejected::detail);
    }

    @Test
    void shouldNameIdSourceAndSpecversionWhenAllThreeAreBadInBinaryMode() {
        EventDecoder.Rejected rejected = rejected(event(Feed.TRADE)
                .attr("id", null)
                .attr("source", null)
                .attr("specversion", "0.3")
                .decodeBinary(Feed.TRADE));

        assertEquals(RejectReason.INVALID_ATTRIBUTE, rejected.reason());
        assertEquals(EventDecoder.Mode.BINARY, rejected.mode());
        assertEquals(Set.of("id", "source", "specversion"), errorNames(rejected));
    }

    @Test
    void shouldAlsoNameBadDataFieldsWhenAttributesAreBad() {
        EventDecoder.Rejected rejected = rejected(event(Feed.TRADE)
                .attr("id", null)
                .data(d -> d.put("value", -1))
                .decodeStructured(Feed.TRADE));

        assertEquals(RejectReason.INVALID_ATTRIBUTE, rejected.reason());
        assertEquals(Set.of("id", "value"), errorNames(rejected));
    }

    @Test
    void shouldRejectStructuredEventWithoutDataObject() {
        ObjectNode event = (ObjectNode) readTree(event(Feed.TRADE).structuredValue());
        event.put("data", "not an object");

        EventDecoder.Rejected rejected = rejected(
                EventDecoder.decode(new RecordHeaders(), bytes(event), Feed.TRADE, TestClock.TODAY));

        assertEquals(RejectReason.INVALID_ATTRIBUTE, rejected.reason());
        assertEquals(Set.of("data"), errorNames(rejected));
    }

    // ---------------------------------------------------------------- type and topic

    @Test
    void shouldRejectUnknownTypeOnKafkaWithTheTopicFeedAsLabel() {
        EventDecoder.Rejected rejected = rejected(event(Feed.TRADE)
                .attr("type", "dtm.weather.observation.v1")
                .decodeStructured(Feed.POLICY));

        assertEquals(RejectReason.UNKNOWN_TYPE, rejected.reason());
        assertEquals("policy", rejected.feed());
        assertTrue(rejected.detail().contains("dtm.weather.observation.v1"), rejected::detail);
    }

    @Test
    void shouldRejectMacroEventOnTradeTopicAsWrongTopicLabelledWithTheTopicFeed() {
        EventDecoder.Rejected rejected = rejected(event(Feed.MACRO).decodeStructured(Feed.TRADE));

        assertEquals(RejectReason.WRONG_TOPIC, rejected.reason());
        assertEquals("trade", rejected.feed());
        assertEquals(Set.of("type"), errorNames(rejected));
        assertTrue(rejected.detail().contains("macro"), rejected::detail);
    }

    @Test
    void shouldTakeFeedLabelFromTheTypeOverHttp() {
        EventDecoder.Rejected rejected = rejected(event(Feed.MACRO)
                .data(d -> d.put("country", "XXX"))
                .decodeStructured(null));

        assertEquals("macro", rejected.feed());
        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
    }

    @Test
    void shouldLabelHttpRejectUnknownWhenTheTypeIsUnknown() {
        EventDecoder.Rejected rejected = rejected(event(Feed.MACRO)
                .attr("type", "com.example.unknown")
                .decodeStructured(null));

        assertEquals(Feed.UNKNOWN_LABEL, rejected.feed());
        assertEquals("unknown", rejected.feed());
        assertEquals(RejectReason.UNKNOWN_TYPE, rejected.reason());
    }

    @Test
    void shouldLabelHttpMalformedRejectUnknown() {
        EventDecoder.Rejected rejected = rejected(EventDecoder.decode(new RecordHeaders(),
                "nope".getBytes(StandardCharsets.UTF_8), null, TestClock.TODAY));

        assertEquals("unknown", rejected.feed());
        assertEquals(RejectReason.MALFORMED, rejected.reason());
    }

    // ---------------------------------------------------------------- data fields

    @Test
    void shouldRejectUnknownUnitOnlyWhenItIsTheOnlyProblem() {
        EventDecoder.Rejected onlyUnit = rejectedTrade(d -> d.put("unit", "GBP_MN"));
        EventDecoder.Rejected unitAndValue = rejectedTrade(d -> {
            d.put("unit", "GBP_MN");
            d.put("value", -5);
        });

        assertEquals(RejectReason.UNKNOWN_UNIT, onlyUnit.reason());
        assertEquals(Set.of("unit"), errorNames(onlyUnit));
        assertTrue(onlyUnit.errors().get(0).unknownUnit());
        assertEquals(RejectReason.INVALID_FIELD, unitAndValue.reason());
        assertEquals(Set.of("unit", "value"), errorNames(unitAndValue));
    }

    @Test
    void shouldRejectNonMonetaryUnitForTradeAsInvalidField() {
        EventDecoder.Rejected rejected = rejectedTrade(d -> d.put("unit", "PCT"));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("unit"), errorNames(rejected));
    }

    @Test
    void shouldNameEveryBadField() {
        EventDecoder.Rejected rejected = rejectedTrade(d -> {
            d.put("reporter", "ZZZ");
            d.put("flow", "SIDEWAYS");
            d.put("period", "2024-13");
            d.put("value", -1);
        });

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(4, rejected.errors().size(), rejected::detail);
        assertEquals(Set.of("reporter", "flow", "period", "value"), errorNames(rejected));
        assertTrue(rejected.errors().stream().allMatch(e -> e.location() == FieldError.Location.DATA));
    }

    @Test
    void shouldNameEveryMissingRequiredField() {
        EventDecoder.Rejected rejected = rejected(new Event(Feed.MACRO, JSON.createObjectNode())
                .decodeStructured(Feed.MACRO));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("country", "indicator", "period", "value", "unit", "vintage"), errorNames(rejected));
    }

    @Test
    void shouldRejectUnknownDataFields() {
        EventDecoder.Rejected rejected = rejectedTrade(d -> d.put("currency", "USD"));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("currency"), errorNames(rejected));
        assertTrue(rejected.detail().contains("data.currency"), rejected::detail);
    }

    @Test
    void shouldRejectFieldOfAnotherFeed() {
        EventDecoder.Rejected rejected = rejected(event(Feed.COMPUTE)
                .data(d -> d.put("reportedGrowthPct", 3.0))
                .decodeStructured(Feed.COMPUTE));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("reportedGrowthPct"), errorNames(rejected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-30", "2023-02-29", "2024-04-31", "2024-1-15", "20240115", "2024-01"})
    void shouldRejectVintageThatIsNotARealDate(String vintage) {
        EventDecoder.Rejected rejected = rejectedTrade(d -> d.put("vintage", vintage));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("vintage"), errorNames(rejected));
    }

    @Test
    void shouldAcceptLeapDayVintage() {
        Observation observation = accepted(event(Feed.TRADE)
                .data(d -> d.put("vintage", "2024-02-29"))
                .decodeStructured(Feed.TRADE), Feed.TRADE);

        assertEquals("2024-02-29", observation.vintage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024", "2024-Q3", "2024-07", "2024-Q1", "2024-12"})
    void shouldAcceptYearQuarterAndMonthPeriods(String period) {
        Observation observation = accepted(event(Feed.TRADE)
                .data(d -> d.put("period", period))
                .decodeStructured(Feed.TRADE), Feed.TRADE);

        assertEquals(period, observation.period());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-13", "2024-Q5", "24", "2024-Q0", "2024-00", "2024-7", "2024-07-01", "FY2024", ""})
    void shouldRejectMalformedPeriods(String period) {
        EventDecoder.Rejected rejected = rejectedTrade(d -> d.put("period", period));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("period"), errorNames(rejected));
    }

    @Test
    void shouldRejectNegativeTradeValue() {
        EventDecoder.Rejected rejected = rejectedTrade(d -> d.put("value", -0.5));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("value"), errorNames(rejected));
    }

    @Test
    void shouldAcceptNegativeTradeGrowth() {
        Observation observation = accepted(event(Feed.TRADE)
                .data(d -> d.put("reportedGrowthPct", -3.2))
                .decodeStructured(Feed.TRADE), Feed.TRADE);

        assertEquals(-3.2, observation.reportedGrowthPct());
    }

    @Test
    void shouldAcceptNegativeMacroRegulatoryQuality() {
        Observation observation = accepted(event(Feed.MACRO)
                .data(d -> {
                    d.put("indicator", "WGI_REGULATORY_QUALITY");
                    d.put("value", -0.42);
                    d.put("unit", "INDEX");
                })
                .decodeStructured(Feed.MACRO), Feed.MACRO);

        assertEquals(-0.42, observation.value());
        assertEquals("INDEX", observation.unit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GDP_USD", "POPULATION"})
    void shouldRejectNegativeNonNegativeMacroIndicators(String indicator) {
        EventDecoder.Rejected rejected = rejected(event(Feed.MACRO)
                .data(d -> {
                    d.put("indicator", indicator);
                    d.put("value", -1);
                })
                .decodeStructured(Feed.MACRO));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("value"), errorNames(rejected));
    }

    @Test
    void shouldRejectValueWrittenAsString() {
        EventDecoder.Rejected rejected = rejectedTrade(d -> d.put("value", "1.0"));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("value"), errorNames(rejected));
        assertTrue(rejected.detail().contains("must be a number"), rejected::detail);
    }

    @Test
    void shouldRejectValueTooLargeForADouble() {
        byte[] value = new String(event(Feed.TRADE).structuredValue(), StandardCharsets.UTF_8)
                .replace("\"value\":49155", "\"value\":1e999").getBytes(StandardCharsets.UTF_8);

        EventDecoder.Rejected rejected = rejected(
                EventDecoder.decode(event(Feed.TRADE).structuredHeaders(), value, Feed.TRADE, TestClock.TODAY));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertTrue(rejected.detail().contains("data.value: must be finite"), rejected::detail);
    }

    @Test
    void shouldRejectDstriWithoutIndexValue() {
        EventDecoder.Rejected rejected = rejected(event(Feed.POLICY)
                .data(d -> d.remove("indexValue"))
                .decodeStructured(Feed.POLICY));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("indexValue"), errorNames(rejected));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.2, -0.1})
    void shouldRejectIndexValueOutsideZeroToOne(double indexValue) {
        EventDecoder.Rejected rejected = rejected(event(Feed.POLICY)
                .data(d -> d.put("indexValue", indexValue))
                .decodeStructured(Feed.POLICY));

        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        assertEquals(Set.of("indexValue"), errorNames(rejected));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0})
    void shouldAcceptIndexValueAtTheBounds(double indexValue) {
        Observation observation = accepted(event(Feed.POLICY)
                .data(d -> d.put("indexValue", indexValue))
                .decodeStructured(Feed.POLICY), Feed.POLICY);

        assertEquals(indexValue, observation.value());
    }

    @Test
    void shouldAcceptSyntheticFlagAndRejectNonBooleanOne() {
        Observation synthetic = accepted(event(Feed.MACRO)
                .data(d -> d.put("synthetic", true))
                .decodeStructured(Feed.MACRO), Feed.MACRO);
        EventDecoder.Rejected bad = rejected(event(Feed.MACRO)
                .data(d -> d.put("synthetic", "yes"))
                .decodeStructured(Feed.MACRO));

        assertTrue(synthetic.synthetic());
        assertEquals(Set.of("synthetic"), errorNames(bad));
    }

    @Test
    void shouldAcceptEbopsCategoryAndRejectUnknownCategory() {
        Observation ebops = accepted(event(Feed.TRADE)
                .data(d -> d.put("category", "SI"))
                .decodeStructured(Feed.TRADE), Feed.TRADE);
        EventDecoder.Rejected unknown = rejectedTrade(d -> d.put("category", "TOURISM"));

        assertEquals("SI", ebops.category());
        assertEquals(Set.of("category"), errorNames(unknown));
    }

    // ---------------------------------------------------------------- detail

    @Test
    void shouldListEveryErrorInDetail() {
        EventDecoder.Rejected rejected = rejectedTrade(d -> {
            d.put("partner", "ZZZ");
            d.put("category", "TOURISM");
            d.put("unit", "EUR");
            d.put("vintage", "2023-02-30");
            d.put("extra", 1);
        });

        String detail = rejected.detail();
        assertEquals(5, rejected.errors().size(), detail);
        for (FieldError error : rejected.errors()) {
            assertTrue(detail.contains(error.toString()), () -> detail + " misses " + error);
        }
        for (String field : List.of("data.partner", "data.category", "data.unit", "data.vintage", "data.extra")) {
            assertTrue(detail.contains(field), () -> detail + " misses " + field);
        }
    }

    @Test
    void shouldFormatFieldErrorsWithDataPrefixOnlyForDataFields() {
        assertEquals("id: is required", FieldError.attribute("id", "is required").toString());
        assertEquals("data.value: must be ≥ 0", FieldError.data("value", "must be ≥ 0").toString());
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldRejectAStructuredEventTheCloudEventsSdkRefusesWhatever() {
        EventDecoder.Rejected bad = rejected(event(Feed.TRADE).attr("source", "not a uri")
                .decodeStructured(Feed.TRADE));
        assertTrue(errorNames(bad).contains("event"), bad.errors().toString());
        EventDecoder.Rejected binary = rejected(event(Feed.TRADE).attr("source", "not a uri")
                .decodeBinary(Feed.TRADE));
        assertFalse(binary.errors().isEmpty(), binary.errors().toString());
    }

    // ---------------------------------------------------------------- plausibility (today: TestClock.TODAY)

    @Test
    void shouldRefuseAVintageAfterTomorrowSoThatNoEventFreezesASeries() {
        String tomorrow = TestClock.TODAY.plusDays(1).toString();
        assertEquals(tomorrow, accepted(event(Feed.TRADE).data(d -> d.put("vintage", tomorrow))
                .decodeStructured(Feed.TRADE), Feed.TRADE).vintage());
        for (String vintage : List.of("9999-12-31", TestClock.TODAY.plusDays(2).toString(), "1899-12-31")) {
            EventDecoder.Rejected rejected = rejectedTrade(d -> d.put("vintage", vintage));
            assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
            assertEquals(Set.of("vintage"), errorNames(rejected), rejected::detail);
        }
        EventDecoder.Rejected binary = rejected(event(Feed.MACRO).data(d -> d.put("vintage", "9999-12-31"))
                .decodeBinary(Feed.MACRO));
        assertEquals(Set.of("vintage"), errorNames(binary));
    }

    @Test
    void shouldRefusePeriodsBefore1900OrMoreThanTenYearsAhead() {
        int last = TestClock.TODAY.getYear() + 10;
        for (String period : List.of("1900", last + "-12", last + "-Q4")) {
            accepted(event(Feed.MACRO).data(d -> d.put("period", period)).decodeStructured(Feed.MACRO), Feed.MACRO);
        }
        for (String period : List.of("1899", "0000", (last + 1) + "-01", "9999-Q1")) {
            EventDecoder.Rejected rejected = rejected(event(Feed.COMPUTE).data(d -> d.put("period", period))
                    .decodeStructured(Feed.COMPUTE));
            assertEquals(Set.of("period"), errorNames(rejected), rejected::detail);
        }
        EventDecoder.Rejected effective = rejected(event(Feed.POLICY).data(d -> d.put("effective", "9999-01-01"))
                .decodeStructured(Feed.POLICY));
        assertEquals(Set.of("effective"), errorNames(effective), effective::detail);
    }

    @Test
    void shouldTakeEbopsCodesFromTheClosedListOnly() {
        for (String code : List.of("S", "SC3A", "SD11", "SI2", "SJ211", "SL3")) {
            assertEquals(code, accepted(event(Feed.TRADE).data(d -> d.put("category", code))
                    .decodeStructured(Feed.TRADE), Feed.TRADE).category());
        }
        for (String code : List.of("SI9", "SJ2119", "SA1", "SL4", "SM", "S0")) {
            assertEquals(Set.of("category"), errorNames(rejectedTrade(d -> d.put("category", code))), code);
        }
    }

    @Test
    void shouldRefuseAHubIdThatDoesNotStartWithAnIsoCountry() {
        for (String hub : List.of("ZZZ-GUIZHOU", "WLD-HUB", "XYZ-1")) {
            EventDecoder.Rejected rejected = rejected(event(Feed.COMPUTE).data(d -> d.put("region", hub))
                    .decodeStructured(Feed.COMPUTE));
            assertEquals(Set.of("region"), errorNames(rejected), hub);
        }
        assertEquals("JPN-TOKYO", accepted(event(Feed.COMPUTE).data(d -> d.put("region", "JPN-TOKYO"))
                .decodeStructured(Feed.COMPUTE), Feed.COMPUTE).reporter());
    }

    @Test
    void shouldBoundIdAndSourceTo256CharactersWithoutControlCharacters() {
        String longest = "i".repeat(256);
        assertEquals(longest, accepted(event(Feed.TRADE).attr("id", longest).decodeStructured(Feed.TRADE), Feed.TRADE)
                .id());
        assertEquals(longest, accepted(event(Feed.TRADE).attr("id", longest).decodeBinary(Feed.TRADE), Feed.TRADE)
                .id());
        for (Event bad : List.of(event(Feed.TRADE).attr("id", "i".repeat(257)),
                event(Feed.TRADE).attr("id", "line\nbreak"),
                event(Feed.TRADE).attr("source", "urn:" + "s".repeat(300)),
                event(Feed.TRADE).attr("source", "urn:tab\there"))) {
            for (EventDecoder.Decoded decoded : List.of(bad.decodeStructured(Feed.TRADE),
                    bad.decodeBinary(Feed.TRADE))) {
                EventDecoder.Rejected rejected = rejected(decoded);
                assertEquals(RejectReason.INVALID_ATTRIBUTE, rejected.reason(), rejected::detail);
                assertTrue(errorNames(rejected).contains("id") || errorNames(rejected).contains("source"),
                        rejected::detail);
                assertTrue(rejected.detail().length() < 600, rejected::detail);
            }
        }
    }

    @Test
    void shouldRefuseAKeyGivenTwiceAsMalformed() {
        String structured = new String(event(Feed.TRADE).structuredValue(), StandardCharsets.UTF_8);
        for (String twice : List.of(structured.replace("{\"specversion\"", "{\"id\":\"other\",\"specversion\""),
                structured.replace("\"period\":\"2025\"", "\"period\":\"2025\",\"period\":\"2024\""))) {
            EventDecoder.Rejected rejected = rejected(EventDecoder.decode(event(Feed.TRADE).structuredHeaders(),
                    twice.getBytes(StandardCharsets.UTF_8), Feed.TRADE, TestClock.TODAY));
            assertEquals(RejectReason.MALFORMED, rejected.reason(), twice);
            assertTrue(rejected.detail().contains("Duplicate field"), rejected::detail);
        }
        String data = new String(event(Feed.TRADE).binaryValue(), StandardCharsets.UTF_8)
                .replace("\"value\":", "\"value\":1,\"value\":");
        EventDecoder.Rejected binary = rejected(EventDecoder.decode(event(Feed.TRADE).binaryHeaders(),
                data.getBytes(StandardCharsets.UTF_8), Feed.TRADE, TestClock.TODAY));
        assertEquals(RejectReason.MALFORMED, binary.reason(), binary::detail);
    }

    @Test
    void shouldRefuseARecordWhoseHeadersAndBodyDisagree() {
        Event trade = event(Feed.TRADE);
        // binary-mode headers (ce_type: trade) over a structured-mode macro event
        EventDecoder.Rejected structuredBody = rejected(EventDecoder.decode(trade.binaryHeaders(),
                event(Feed.MACRO).attr("id", "other").structuredValue(), Feed.TRADE, TestClock.TODAY));
        assertEquals(RejectReason.MALFORMED, structuredBody.reason());
        assertTrue(structuredBody.detail().contains("headers and body disagree"), structuredBody::detail);

        // structured mode with a ce_type header that names another type than the event's
        Headers contradicting = trade.structuredHeaders();
        contradicting.add("ce_type", Feed.MACRO.eventType().getBytes(StandardCharsets.UTF_8));
        EventDecoder.Rejected header = rejected(EventDecoder.decode(contradicting, trade.structuredValue(),
                Feed.TRADE, TestClock.TODAY));
        assertEquals(RejectReason.MALFORMED, header.reason());
        assertTrue(header.detail().contains("ce_type"), header::detail);

        // a header that says the same as the body is no disagreement
        Headers agreeing = trade.structuredHeaders();
        agreeing.add("ce_type", Feed.TRADE.eventType().getBytes(StandardCharsets.UTF_8));
        accepted(EventDecoder.decode(agreeing, trade.structuredValue(), Feed.TRADE, TestClock.TODAY), Feed.TRADE);

        // binary mode whose content type says a batch of structured events
        Headers batch = trade.binaryHeaders();
        batch.remove(EventDecoder.CONTENT_TYPE).add(EventDecoder.CONTENT_TYPE,
                "application/cloudevents-batch+json".getBytes(StandardCharsets.UTF_8));
        assertEquals(RejectReason.MALFORMED, rejected(EventDecoder.decode(batch, trade.binaryValue(), Feed.TRADE,
                TestClock.TODAY)).reason());
    }

    @Test
    void shouldListAtMost100ErrorsAndEchoAtMost256CharactersInTheDetail() {
        EventDecoder.Rejected rejected = rejectedTrade(d -> {
            for (int i = 0; i < 500; i++) {
                d.put("extra" + i, 1);
            }
            d.put("x".repeat(5_000), 1);
            d.put("reporter", "R".repeat(5_000));
        });
        assertEquals(502, rejected.errors().size());
        String detail = rejected.detail();
        assertTrue(detail.endsWith("…and 402 more (502 in all)"), detail.substring(detail.length() - 60));
        assertFalse(detail.contains("R".repeat(257)), "bounded echo");
        assertFalse(detail.contains("x".repeat(257)), "bounded echo");
        assertTrue(detail.length() < 100 * 300, detail.length() + " characters");
    }

    // ---------------------------------------------------------------- retractions (dtm.retraction.v1)

    private static Event retraction(String feed, Consumer<ObjectNode> data) {
        ObjectNode d = JSON.createObjectNode().put("feed", feed);
        data.accept(d);
        return new Event(Feed.TRADE, d).attr("type", EventDecoder.RETRACTION).attr("id", "withdraw-1");
    }

    private static Event tradeRetraction() {
        return retraction("trade", d -> d.put("reporter", "CHN").put("partner", "WLD").put("flow", "EXPORT")
                .put("category", "DDS").put("period", "2025").put("vintage", "2026-02-01"));
    }

    @Test
    void shouldAcceptARetractionOnItsFeedsTopicAndOverHttpInBothModes() {
        for (Feed topic : new Feed[] {Feed.TRADE, null}) {
            for (EventDecoder.Decoded decoded : List.of(tradeRetraction().decodeStructured(topic),
                    tradeRetraction().decodeBinary(topic))) {
                EventDecoder.Accepted accepted = assertInstanceOf(EventDecoder.Accepted.class, decoded);
                assertTrue(accepted.retraction());
                assertEquals(Feed.TRADE, accepted.feed());
                assertEquals(EventDecoder.RETRACTION, accepted.type());
                assertEquals(new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2025", null, null, "2026-02-01",
                        SOURCE, "withdraw-1", null, null, null, null, false), accepted.observation());
            }
        }
        EventDecoder.Accepted policy = assertInstanceOf(EventDecoder.Accepted.class, retraction("policy",
                d -> d.put("country", "IDN").put("measure", "DSTRI").put("period", "2024-07-01")
                        .put("vintage", "2025-01-01")).decodeStructured(Feed.POLICY));
        assertEquals(new io.dtm.events.SeriesKey("policy", "IDN", "", "", "DSTRI"), policy.observation().series());
        assertEquals("2024-07-01", policy.observation().period());
        EventDecoder.Accepted hub = assertInstanceOf(EventDecoder.Accepted.class, retraction("compute",
                d -> d.put("region", "CHN-GUIZHOU").put("metric", "INTELLIGENT_EFLOPS_FP16").put("period", "2024-Q3")
                        .put("vintage", "2025-01-01")).decodeStructured(null));
        assertEquals("compute|CHN-GUIZHOU|||INTELLIGENT_EFLOPS_FP16|2024-Q3",
                hub.observation().series().withPeriod(hub.observation().period()));
    }

    @Test
    void shouldRejectARetractionOnAnotherFeedsTopic() {
        EventDecoder.Rejected rejected = assertInstanceOf(EventDecoder.Rejected.class,
                tradeRetraction().decodeStructured(Feed.MACRO));
        assertEquals(RejectReason.WRONG_TOPIC, rejected.reason());
        assertEquals("macro", rejected.feed());
        assertTrue(rejected.detail().contains("trade feed's topic"), rejected.detail());
    }

    @Test
    void shouldRejectABadRetractionNamingEveryBadField() {
        EventDecoder.Rejected rejected = assertInstanceOf(EventDecoder.Rejected.class, tradeRetraction()
                .data(d -> d.put("value", 3).put("vintage", TestClock.TODAY.plusDays(2).toString())
                        .put("flow", "SIDEWAYS").remove("partner"))
                .decodeStructured(Feed.TRADE));
        assertEquals(RejectReason.INVALID_FIELD, rejected.reason());
        Set<String> named = rejected.errors().stream().map(FieldError::name).collect(Collectors.toSet());
        assertEquals(Set.of("value", "vintage", "flow", "partner"), named);

        EventDecoder.Rejected noFeed = assertInstanceOf(EventDecoder.Rejected.class,
                retraction("energy", d -> d.put("period", "2025").put("vintage", "2025-01-01")).decodeStructured(null));
        assertEquals(RejectReason.INVALID_FIELD, noFeed.reason());
        assertEquals("unknown", noFeed.feed());
        assertTrue(noFeed.detail().contains("trade, compute, policy or macro"), noFeed.detail());

        EventDecoder.Rejected longId = assertInstanceOf(EventDecoder.Rejected.class,
                tradeRetraction().attr("id", "x".repeat(EventDecoder.MAX_ID + 1)).decodeStructured(Feed.TRADE));
        assertEquals(RejectReason.INVALID_ATTRIBUTE, longId.reason());
    }
}
