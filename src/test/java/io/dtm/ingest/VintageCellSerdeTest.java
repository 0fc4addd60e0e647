package io.dtm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.dtm.events.Observation;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.ObservationSerde;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vintage cell and its serde, including the bare observations the vintage store held before. */
class VintageCellSerdeTest {

    private static final Observation OBS = new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2023", 1.5e11,
            "USD", "2024-06-01", "urn:wto:stats", "table1-DDS-2023", null, null, null, null, false);
    private final VintageCellSerde serde = new VintageCellSerde();

    @Test
    void shouldRoundTripTheWinnerAndTheEventsSeen() {
        VintageCell cell = new VintageCell(OBS, Map.of("urn:wto:stats|table1-DDS-2023", 1_700_000_000_000L,
                "urn:a|b", 1L));
        assertEquals(cell, serde.deserializer().deserialize("t", serde.serializer().serialize("t", cell)));
    }

    @Test
    void shouldReadABareObservationAsACellThatHasSeenNoEvent() {
        VintageCell expected = new VintageCell(OBS, Map.of());
        assertEquals(expected, serde.deserializer().deserialize("t",
                JsonSerde.of(Observation.class).serializer().serialize("t", OBS)));
        assertEquals(expected, serde.deserializer().deserialize("t",
                new ObservationSerde().serializer().serialize("t", OBS)));
    }

    @Test
    void shouldForgetOnlyTheEventsSeenBeforeTheOldestTimeKept() {
        VintageCell cell = new VintageCell(OBS, Map.of("old", 10L, "new", 20L));
        assertEquals(Map.of("new", 20L), cell.forgetBefore(15).seen());
        assertSame(cell, cell.forgetBefore(5));
    }
}
