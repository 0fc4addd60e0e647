package io.dtm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dtm.events.Observation;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.ObservationSerde;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The vintage cell and its serde. */
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
    void shouldRefuseBytesOfAnotherFormatWithAClearError() {
        for (byte[] bytes : java.util.List.of(JsonSerde.of(Observation.class).serializer().serialize("t", OBS),
                new ObservationSerde().serializer().serialize("t", OBS), new byte[0])) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> serde.deserializer().deserialize("t", bytes));
            assertEquals(true, e.getMessage().startsWith("unknown format of a vintage cell on t"), e.getMessage());
        }
    }

    @Test
    void shouldForgetOnlyTheEventsSeenBeforeTheOldestTimeKept() {
        VintageCell cell = new VintageCell(OBS, Map.of("old", 10L, "new", 20L));
        assertEquals(Map.of("new", 20L), cell.forgetBefore(15).seen());
        assertSame(cell, cell.forgetBefore(5));
    }

    @Test
    void shouldForgetTheEventsFirstSeenEarliestBeyondTheCapAndKeepTheNewOne() {
        VintageCell cell = new VintageCell(OBS, Map.of("a", 10L, "b", 20L, "c", 30L));
        assertEquals(Map.of("b", 20L, "c", 30L, "d", 40L), cell.with("d", 40, OBS, 3).seen());
        assertEquals(Map.of("c", 30L, "d", 40L), cell.with("d", 40, OBS, 2).seen(), "a cell over the cap shrinks");
        assertEquals(Map.of("d", 5L), cell.with("d", 5, OBS, 1).seen(), "the new event is kept, whatever its time");
        assertEquals(Map.of("a", 10L, "b", 20L, "c", 30L, "d", 40L), cell.with("d", 40, OBS, 64).seen());
    }

    @Test
    void shouldBreakATieOfTimesByEventKeySoThatEvictionDoesNotDependOnMapOrder() {
        VintageCell cell = new VintageCell(OBS, Map.of("y", 7L, "x", 7L, "z", 7L));
        assertEquals(Map.of("y", 7L, "z", 7L, "new", 8L), cell.with("new", 8, OBS, 3).seen());
    }

    @Test
    void shouldKeepTheSerializedCellBoundedHoweverManyEventsItSees() {
        VintageCell cell = new VintageCell(OBS, Map.of());
        String id = "urn:example:publisher|" + "x".repeat(200);
        for (int i = 0; i < 10_000; i++) {
            cell = cell.with(id + i, i, OBS, 64);
        }
        assertEquals(64, cell.seen().size());
        byte[] bytes = serde.serializer().serialize("t", cell);
        assertEquals(true, bytes.length < 64 * (id.length() + 20) + 1000, bytes.length + " bytes");
        assertEquals(cell, serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void shouldRoundTripACellWonByARetraction() {
        Observation withdrawal = new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2023", null, null,
                "2024-07-01", "urn:wto:stats", "withdraw-DDS-2023", null, null, null, null, false);
        VintageCell cell = new VintageCell(withdrawal, true, Map.of("urn:wto:stats|withdraw-DDS-2023", 5L));
        VintageCell read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", cell));
        assertEquals(cell, read);
        assertEquals(null, read.observation(), "a retracted cell stands for no observation");
        assertEquals(new VintageEntry(withdrawal, true), read.entry());
        assertEquals(true, read.forgetBefore(10).retracted(), "forgetting events keeps the winner's kind");

    }

    @Test
    void shouldCarryRetractionsAndObservationsOverTheRepartition() {
        VintageEntrySerde entries = new VintageEntrySerde();
        for (VintageEntry entry : java.util.List.of(VintageEntry.of(OBS), new VintageEntry(OBS, true))) {
            assertEquals(entry, entries.deserializer().deserialize("t", entries.serializer().serialize("t", entry)));
        }
        assertEquals(VintageEntry.of(OBS), entries.deserializer().deserialize("t",
                new ObservationSerde().serializer().serialize("t", OBS)), "an observation as ObservationSerde writes it");
    }

    @Test
    void shouldRankByVintageThenARetractionBeforeAnObservationThenBySourceAndId() {
        Observation later = new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2023", 1.0, "USD", "2024-06-02",
                "urn:a", "a", null, null, null, null, false);
        VintageEntry retraction = new VintageEntry(OBS, true);
        assertEquals(true, retraction.supersedes(VintageEntry.of(OBS)), "same vintage: the retraction wins");
        assertEquals(true, VintageEntry.of(later).supersedes(retraction), "a later vintage brings it back");
        assertEquals(false, retraction.supersedes(VintageEntry.of(later)), "an older retraction is stale");
    }
}
