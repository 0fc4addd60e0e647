package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.streams.Binary;
import io.dtm.streams.ObservationSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary serde of {@link VintageEntry} on the {@code ingest-vintage} repartition: an observation is written as
 * {@link ObservationSerde} writes it, a retraction as its own format byte and the observation's fields.
 */
final class VintageEntrySerde implements Serde<VintageEntry> {

    /** The first byte of a retraction (an observation starts with its own format byte). */
    static final byte RETRACTION = 5;

    private static final Serde<Observation> OBSERVATION = new ObservationSerde();

    @Override
    public Serializer<VintageEntry> serializer() {
        return (topic, entry) -> {
            if (entry == null) {
                return null;
            }
            if (!entry.retraction()) {
                return OBSERVATION.serializer().serialize(topic, entry.observation());
            }
            return ObservationSerde.write(new Binary.Writer(160).write(RETRACTION), entry.observation()).toBytes();
        };
    }

    @Override
    public Deserializer<VintageEntry> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != RETRACTION) {
                return VintageEntry.of(OBSERVATION.deserializer().deserialize(topic, bytes));
            }
            Binary.Reader in = new Binary.Reader(bytes, 1);
            Observation fields = ObservationSerde.read(in);
            if (!in.done()) {
                throw new SerializationException("trailing bytes after a retraction on " + topic);
            }
            return new VintageEntry(fields, true);
        };
    }
}
