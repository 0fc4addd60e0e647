package io.dtm.streams;

import io.dtm.events.Observation;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary serde of {@link Observation} for internal topics and stores ({@code dtm.observations.v1} itself stays
 * JSON): a format byte, then the fields in declaration order. Reads the JSON written before as well, so that stores
 * and changelogs of an earlier version still load.
 */
public final class ObservationSerde implements Serde<Observation> {

    /** The first byte of this format (JSON starts with {@code '{'}). */
    static final byte FORMAT = 1;

    private static final JsonSerde<Observation> JSON = JsonSerde.of(Observation.class);

    @Override
    public Serializer<Observation> serializer() {
        return (topic, obs) -> obs == null ? null : write(new Binary.Writer(160).write(FORMAT), obs).toBytes();
    }

    @Override
    public Deserializer<Observation> deserializer() {
        Deserializer<Observation> json = JSON.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return json.deserialize(topic, bytes);
            }
            Binary.Reader in = new Binary.Reader(bytes, 0);
            if (in.read() != FORMAT) {
                throw new SerializationException("unknown observation format " + bytes[0] + " on " + topic);
            }
            Observation obs = read(in);
            if (!in.done()) {
                throw new SerializationException("trailing bytes after an observation on " + topic);
            }
            return obs;
        };
    }

    /** Writes the fields of {@code obs} (no format byte). */
    public static Binary.Writer write(Binary.Writer out, Observation obs) {
        return out.string(obs.feed()).string(obs.reporter()).string(obs.partner()).string(obs.flow())
                .string(obs.category()).string(obs.period()).nullableFloat64(obs.value()).string(obs.unit())
                .string(obs.vintage()).string(obs.source()).string(obs.id()).nullableFloat64(obs.reportedGrowthPct())
                .string(obs.direction()).string(obs.description()).string(obs.hubGroup())
                .write(obs.synthetic() ? 1 : 0);
    }

    /** Reads what {@link #write} wrote. */
    public static Observation read(Binary.Reader in) {
        return new Observation(in.string(), in.string(), in.string(), in.string(), in.string(), in.string(),
                in.nullableFloat64(), in.string(), in.string(), in.string(), in.string(), in.nullableFloat64(),
                in.string(), in.string(), in.string(), in.read() != 0);
    }
}
