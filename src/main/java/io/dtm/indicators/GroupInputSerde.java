package io.dtm.indicators;

import io.dtm.streams.Binary;
import io.dtm.streams.ObservationSerde;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary serde of {@link GroupInput} on the repartition by group: a format byte, the entry, the slot, the
 * periods (count + 1, 0 for none named), then the observation; a withdrawal (no observation) has a format byte of
 * its own and ends after the periods. Reads the JSON written before as well.
 */
final class GroupInputSerde implements Serde<GroupInput> {

    static final byte FORMAT = 1;
    /** The first byte of a withdrawal. */
    static final byte WITHDRAWAL = 2;
    private static final Deserializer<GroupInput> WITH_OBSERVATION =
            Binary.deserializer(FORMAT, "a group input", in -> read(in, true));

    @Override
    public Serializer<GroupInput> serializer() {
        return (topic, in) -> {
            if (in == null) {
                return null;
            }
            boolean withdrawal = in.observation() == null;
            Binary.Writer out = new Binary.Writer(200).write(withdrawal ? WITHDRAWAL : FORMAT).string(in.entry())
                    .string(in.slot());
            if (in.periods() == null) {
                out.varint(0);
            } else {
                out.varint(in.periods().size() + 1);
                in.periods().forEach(out::string);
            }
            return withdrawal ? out.toBytes() : ObservationSerde.write(out, in.observation()).toBytes();
        };
    }

    @Override
    public Deserializer<GroupInput> deserializer() {
        Deserializer<GroupInput> withdrawal = Binary.deserializer(WITHDRAWAL, "a group input",
                in -> read(in, false));
        return (topic, bytes) -> bytes != null && bytes.length > 0 && bytes[0] == WITHDRAWAL
                ? withdrawal.deserialize(topic, bytes) : WITH_OBSERVATION.deserialize(topic, bytes);
    }

    private static GroupInput read(Binary.Reader in, boolean withObservation) {
        String entry = in.string();
        String slot = in.string();
        int n = in.varint() - 1;
        List<String> periods = null;
        if (n >= 0) {
            periods = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                periods.add(in.string());
            }
            periods = List.copyOf(periods);
        }
        return new GroupInput(entry, slot, periods, withObservation ? ObservationSerde.read(in) : null);
    }
}
