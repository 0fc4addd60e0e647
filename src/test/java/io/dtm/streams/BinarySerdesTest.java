package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The binary serdes of internal topics and stores: round trips, nulls, non-ASCII text, and other bytes refused. */
class BinarySerdesTest {

    private static final Observation TRADE = new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2023",
            1.5e11, "USD", "2024-06-01", "urn:wto:stats", "table1-DDS-2023", 12.25, null, null, null, false);
    private static final Observation POLICY = new Observation("policy", "KOR", "", "", "DSTRI", "2021-03-01",
            null, "INDEX", "2021-03-02", "urn:oecd|dstri", "id-ü-€-😀", null, "LIBERALISING",
            "Zurücknahme — données transfrontalières", null, true);

    private final ObservationSerde observations = new ObservationSerde();
    private final IndicatorValueSerde values = new IndicatorValueSerde();

    @Test
    void shouldRoundTripObservationsWithNullsAndNonAsciiText() {
        for (Observation o : List.of(TRADE, POLICY)) {
            byte[] bytes = observations.serializer().serialize("t", o);
            assertEquals(ObservationSerde.FORMAT, bytes[0]);
            assertEquals(o, observations.deserializer().deserialize("t", bytes));
        }
    }

    @Test
    void shouldKeepNegativeZeroNanAndExtremeDoubles() {
        for (double d : new double[] {-0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, -1e-300}) {
            Observation o = new Observation("trade", "A", "B", "C", "D", "2020", d, "USD", "2021-01-01", "s", "i",
                    d, null, null, null, false);
            Observation back = observations.deserializer().deserialize("t", observations.serializer().serialize("t", o));
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(back.value()));
        }
    }

    @Test
    void shouldRefuseJsonAndEmptyBytesInABinaryFormat() {
        byte[] json = JsonSerde.of(Observation.class).serializer().serialize("t", POLICY);
        assertThrows(SerializationException.class, () -> observations.deserializer().deserialize("t", json));
        assertThrows(SerializationException.class, () -> observations.deserializer().deserialize("t", new byte[0]));
    }

    @Test
    void shouldRefuseTruncatedOrUnknownBytes() {
        byte[] bytes = observations.serializer().serialize("t", TRADE);
        assertThrows(SerializationException.class,
                () -> observations.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(SerializationException.class,
                () -> observations.deserializer().deserialize("t", new byte[] {9, 1, 2}));
        assertThrows(SerializationException.class,
                () -> observations.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length + 1)));
        byte[] value = values.serializer().serialize("t", new IndicatorValue("e", "yoy_growth_pct", "CHN", "WLD",
                "EXPORT", "DDS", "2024", 1.5, false, List.of(), 0));
        SerializationException trailing = assertThrows(SerializationException.class,
                () -> values.deserializer().deserialize("t", Arrays.copyOf(value, value.length + 1)));
        assertEquals("trailing bytes after an indicator value on t", trailing.getMessage());
        SerializationException unknown = assertThrows(SerializationException.class,
                () -> values.deserializer().deserialize("t", new byte[] {9, 1, 2}));
        assertEquals("unknown format 9 of an indicator value on t", unknown.getMessage());
    }

    @Test
    void shouldPassNullsThrough() {
        assertNull(observations.serializer().serialize("t", null));
        assertNull(observations.deserializer().deserialize("t", null));
        assertNull(values.serializer().serialize("t", null));
        assertNull(values.deserializer().deserialize("t", null));
    }

    @Test
    void shouldRoundTripIndicatorValuesWithTheirInputs() {
        IndicatorValue v = IndicatorValue.of("trade-yoy-growth", "yoy_growth_pct", "CHN", "WLD", "EXPORT", "DDS",
                "2023", 7.125, List.of(TRADE, new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2022", 1.4e11,
                        "USD", "2023-06-01", "urn:ü", "x", null, null, null, null, true))).computedAt(1_700_000_000_123L);
        byte[] bytes = values.serializer().serialize("t", v);
        assertEquals(IndicatorValueSerde.FORMAT, bytes[0]);
        assertEquals(v, values.deserializer().deserialize("t", bytes));
        assertThrows(SerializationException.class, () -> values.deserializer().deserialize("t",
                JsonSerde.of(IndicatorValue.class).serializer().serialize("t", v)));
    }

    @Test
    void shouldWriteLongStringsWithMultiByteLengths() {
        String longText = "x".repeat(70_000) + "é";
        Observation o = new Observation("policy", "KOR", "", "", "DSTRI", "2021", null, "INDEX", "2021-03-02",
                "s", "i", null, "NEUTRAL", longText, null, false);
        assertEquals(o, observations.deserializer().deserialize("t", observations.serializer().serialize("t", o)));
    }
}
