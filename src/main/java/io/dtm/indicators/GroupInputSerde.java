package io.dtm.indicators;

import io.dtm.streams.Binary;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.ObservationSerde;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary serde of {@link GroupInput} on the repartition by group: a format byte, the entry, the slot, the
 * periods (count + 1, 0 for none named), then the observation. Reads the JSON written before as well.
 */
final class GroupInputSerde implements Serde<GroupInput> {

    static final byte FORMAT = 1;

    private static final Deserializer<GroupInput> JSON = JsonSerde.of(GroupInput.class).deserializer();

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
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return JSON.deserialize(topic, bytes);
            }
            Binary.Reader in = new Binary.Reader(bytes, 0);
            if (in.read() != FORMAT) {
                throw new SerializationException("unknown group input format " + bytes[0] + " on " + topic);
            }
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
            GroupInput input = new GroupInput(entry, slot, periods, ObservationSerde.read(in));
            if (!in.done()) {
                throw new SerializationException("trailing bytes after a group input on " + topic);
            }
            return input;
        };
    }
}
