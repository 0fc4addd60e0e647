package io.dtm.metrics;

import io.dtm.events.IndicatorValue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports the latest period's value of each indicator series as {@code dtm_indicator_value{indicator,id,reporter,
 * partner,flow,category,synthetic}}, at full double precision. A series is exported by the instance whose stream
 * task owns it: the task publishes its series when it starts and removes them when it closes.
 */
@ApplicationScoped
public class IndicatorGauges {

    private final MeterRegistry registry;
    private final Map<String, Exported> exported = new ConcurrentHashMap<>();

    public IndicatorGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the gauge of {@code value}'s series to {@code value} (the caller passes the latest period only). */
    public void publish(String seriesKey, IndicatorValue value) {
        Exported current = exported.computeIfAbsent(seriesKey, k -> register(value));
        current.value = value.value();
    }

    /** Stops exporting the series. */
    public void remove(String seriesKey) {
        Exported gone = exported.remove(seriesKey);
        if (gone != null) {
            registry.remove(gone.gauge);
        }
    }

    /** How many series are exported. */
    public int size() {
        return exported.size();
    }

    private Exported register(IndicatorValue v) {
        Exported holder = new Exported();
        holder.gauge = Gauge.builder("dtm.indicator.value", holder, h -> h.value)
                .description("Latest period's value of an indicator series")
                .tags(Tags.of("indicator", v.indicator(), "id", v.id(), "reporter", v.reporter(),
                        "partner", v.partner(), "flow", v.flow(), "category", v.category(),
                        "synthetic", Boolean.toString(v.synthetic())))
                .register(registry);
        return holder;
    }

    private static final class Exported {
        volatile double value = Double.NaN;
        Gauge gauge;
    }
}
