package io.dtm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtm.events.Observation;
import io.dtm.streams.JsonSerde;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary serde of the repartition by group. */
class GroupInputSerdeTest {

    private static final Observation OBS = new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", "2023", 1.5e11,
            "USD", "2024-06-01", "urn:wto:stats", "table1-DDS-2023", 12.25, null, null, null, false);
    private final GroupInputSerde serde = new GroupInputSerde();

    @Test
    void shouldRoundTripInputsWithNamedPeriodsNoPeriodsAndAnEmptyList() {
        for (List<String> periods : java.util.Arrays.asList(List.of("2023", "2024"), null, List.<String>of())) {
            GroupInput in = new GroupInput("trade-yoy-growth", "2023", periods, OBS);
            assertEquals(in, serde.deserializer().deserialize("t", serde.serializer().serialize("t", in)));
        }
    }

    @Test
    void shouldRefuseInputsInAnotherFormat() {
        GroupInput in = new GroupInput("dds-rca", "CHN|DDS", null, OBS);
        byte[] json = JsonSerde.of(GroupInput.class).serializer().serialize("t", in);
        org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.common.errors.SerializationException.class,
                () -> serde.deserializer().deserialize("t", json));
    }

    @Test
    void shouldRoundTripAWithdrawalWhichCarriesNoObservation() {
        for (List<String> periods : java.util.Arrays.asList(List.of("2023"), null)) {
            GroupInput in = new GroupInput("openness", "2020-07-01", periods, null);
            byte[] bytes = serde.serializer().serialize("t", in);
            assertEquals(GroupInputSerde.WITHDRAWAL, bytes[0]);
            assertEquals(in, serde.deserializer().deserialize("t", bytes));
        }
    }
}
