package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.streams.Binary;
import io.dtm.streams.ObservationSerde;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary serde of {@link VintageCell}: a format byte, whether the winner is a retraction, the winner, the count
 * of events seen and each one's {@code source|id} and time. Another format byte is refused.
 */
final class VintageCellSerde implements Serde<VintageCell> {

    static final byte FORMAT = 3;

    @Override
    public Serializer<VintageCell> serializer() {
        return (topic, cell) -> {
            if (cell == null) {
                return null;
            }
            Binary.Writer out = ObservationSerde.write(new Binary.Writer(200).write(FORMAT)
                    .write(cell.retracted() ? 1 : 0), cell.winner());
            out.varint(cell.seen().size());
            cell.seen().forEach((event, time) -> out.string(event).int64(time));
            return out.toBytes();
        };
    }

    @Override
    public Deserializer<VintageCell> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != FORMAT) {
                throw new SerializationException("unknown format of a vintage cell on " + topic
                        + (bytes.length == 0 ? ": no bytes" : ": " + bytes[0]));
            }
            Binary.Reader in = new Binary.Reader(bytes, 1);
            boolean retracted = in.read() != 0;
            Observation winner = ObservationSerde.read(in);
            int n = in.varint();
            Map<String, Long> seen = new HashMap<>();
            for (int i = 0; i < n; i++) {
                seen.put(in.string(), in.int64());
            }
            if (!in.done()) {
                throw new SerializationException("trailing bytes after a vintage cell on " + topic);
            }
            return new VintageCell(winner, retracted, seen);
        };
    }
}
