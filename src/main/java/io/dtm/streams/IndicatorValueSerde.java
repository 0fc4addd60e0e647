package io.dtm.streams;

import io.dtm.events.IndicatorValue;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary serde of {@link IndicatorValue} for stores ({@code dtm.indicators.v1} itself stays JSON): a format
 * byte, the fields in declaration order, the inputs as a count and their fields. Reads the JSON written before as
 * well, so that stores and changelogs of an earlier version still load.
 */
public final class IndicatorValueSerde implements Serde<IndicatorValue> {

    /** The first byte of this format (JSON starts with {@code '{'}). */
    static final byte FORMAT = 1;

    @Override
    public Serializer<IndicatorValue> serializer() {
        return (topic, v) -> {
            if (v == null) {
                return null;
            }
            Binary.Writer out = new Binary.Writer(256).write(FORMAT).string(v.id()).string(v.indicator())
                    .string(v.reporter()).string(v.partner()).string(v.flow()).string(v.category()).string(v.period())
                    .float64(v.value()).write(v.synthetic() ? 1 : 0).int64(v.computedAt());
            out.varint(v.inputs().size());
            for (IndicatorValue.Input in : v.inputs()) {
                out.string(in.series()).string(in.period()).float64(in.value()).string(in.vintage())
                        .string(in.source()).string(in.id());
            }
            return out.toBytes();
        };
    }

    @Override
    public Deserializer<IndicatorValue> deserializer() {
        return Binary.deserializer(FORMAT, "an indicator value", IndicatorValueSerde::read);
    }

    private static IndicatorValue read(Binary.Reader in) {
        String id = in.string();
        String indicator = in.string();
        String reporter = in.string();
        String partner = in.string();
        String flow = in.string();
        String category = in.string();
        String period = in.string();
        double value = in.float64();
        boolean synthetic = in.read() != 0;
        long computedAt = in.int64();
        int n = in.varint();
        List<IndicatorValue.Input> inputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            inputs.add(new IndicatorValue.Input(in.string(), in.string(), in.float64(), in.string(), in.string(),
                    in.string()));
        }
        return new IndicatorValue(id, indicator, reporter, partner, flow, category, period, value, synthetic,
                List.copyOf(inputs), computedAt);
    }
}
