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

    /** The output series: {@code id|reporter|partner|flow|category}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String seriesKey() {
        return String.join("|", id, reporter, partner, flow, category);
    }

    /** The key on {@code dtm.indicators.v1}: {@code id|reporter|partner|flow|category|period}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String topicKey() {
        return seriesKey() + "|" + period;
    }

    /** The same value stamped with the time it was computed. */
    public IndicatorValue computedAt(long millis) {
        return new IndicatorValue(id, indicator, reporter, partner, flow, category, period, value, synthetic, inputs,
                millis);
    }

    /** Whether {@code other} has the same value and inputs (the computation time aside). */
    public boolean sameAs(IndicatorValue other) {
        return other != null && Double.compare(value, other.value) == 0 && synthetic == other.synthetic
                && inputs.equals(other.inputs) && topicKey().equals(other.topicKey());
    }

    /** A value computed from {@code inputs} (synthetic when any input is), not yet stamped. */
    public static IndicatorValue of(String id, String indicator, String reporter, String partner, String flow,
            String category, String period, double value, List<Observation> inputs) {
        return new IndicatorValue(id, indicator, reporter, partner, flow, category, period, value,
                inputs.stream().anyMatch(Observation::synthetic), inputs.stream().map(Input::of).toList(), 0);
    }

    /** One input (series, period) of an indicator value with its provenance. */
    public record Input(String series, String period, double value, String vintage, String source, String id) {

        public static Input of(Observation o) {
            return new Input(o.series().toString(), o.period(), o.value(), o.vintage(), o.source(), o.id());
        }
    }
}
