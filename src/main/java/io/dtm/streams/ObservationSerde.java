package io.dtm.streams;

import io.dtm.events.Observation;
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

    @Override
    public Serializer<Observation> serializer() {
        return (topic, obs) -> obs == null ? null : write(new Binary.Writer(160).write(FORMAT), obs).toBytes();
    }

    @Override
    public Deserializer<Observation> deserializer() {
        return Binary.deserializer(FORMAT, "an observation", ObservationSerde::read);
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
