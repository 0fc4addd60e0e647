package io.dtm.events;

import java.util.List;

/**
 * One computed indicator value for a period, as carried on {@code dtm.indicators.v1}, with the inputs it
 * was computed from so that every value can be traced to the events behind it.
 *
 * @param id        the catalogue entry
 * @param indicator the kind (for example {@code yoy_growth_pct})
 * @param computedAt epoch milliseconds when it was computed
 */
public record IndicatorValue(
        String id,
        String indicator,
        String reporter,
        String partner,
        String flow,
        String category,
        String period,
        double value,
        boolean synthetic,
        List<Input> inputs,
        long computedAt) {

    /** One input (series, period) of an indicator value with its provenance. */
    public record Input(String series, String period, double value, String vintage, String source, String id) {

        public static Input of(Observation o) {
            return new Input(o.series().toString(), o.period(), o.value(), o.vintage(), o.source(), o.id());
        }
    }
}
