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
 * periods (count + 1, 0 for none named), then the observation. Reads the JSON written before as well.
 */
final class GroupInputSerde implements Serde<GroupInput> {

    static final byte FORMAT = 1;

    @Override
    public Serializer<GroupInput> serializer() {
        return (topic, in) -> {
            if (in == null) {
                return null;
            }
            Binary.Writer out = new Binary.Writer(200).write(FORMAT).string(in.entry()).string(in.slot());
            if (in.periods() == null) {
                out.varint(0);
            } else {
                out.varint(in.periods().size() + 1);
                in.periods().forEach(out::string);
            }
            return ObservationSerde.write(out, in.observation()).toBytes();
        };
    }

    @Override
    public Deserializer<GroupInput> deserializer() {
        return Binary.deserializer(FORMAT, "a group input", GroupInput.class, GroupInputSerde::read);
    }

    private static GroupInput read(Binary.Reader in) {
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
        return new GroupInput(entry, slot, periods, ObservationSerde.read(in));
    }
}
