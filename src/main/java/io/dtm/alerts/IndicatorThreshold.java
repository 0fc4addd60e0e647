package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dtm.api.Problems;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A threshold on an indicator selection, evaluated by period ({@link PeriodEvaluation}): {@code forPeriods}
 * consecutive active periods fire, the clear threshold resolves.
 *
 * @param transform {@code value}, {@code abs} (|value|) or {@code change} (value − the previous period's value)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonTypeInfo(use = JsonTypeInfo.Id.NONE)
public record IndicatorThreshold(String id, String source, String severity, String description, String scope,
        String indicator, String entry, String reporter, String partner, String flow, String category,
        String transform, String op, Double threshold, Double clear, Integer forPeriods)
        implements AlertRule, AlertRule.OnIndicators, AlertRule.Threshold {

    static final String SOURCE = "indicator";

    @Override
    public List<String> problems() {
        List<String> bad = Checks.common(this, SOURCE);
        Checks.selection(bad, this);
        if (transform != null && !Set.of("value", "abs", "change").contains(transform)) {
            bad.add("transform: value, abs or change; was " + Problems.echo(transform));
        }
        Checks.threshold(bad, this, forPeriods);
        return bad;
    }

    /**
     * The state at the latest period; the provenance is that of the input that arrived when it is of the latest
     * period (or the alert is new), otherwise the state's. Time alone changes nothing.
     */
    @Override
    public AlertRecord next(AlertRecord state, AlertHistory history, Instant now) {
        AlertInput in = history.arrived();
        if (in == null) {
            return state;
        }
        NavigableMap<String, Double> evaluated = transformed(history.values());
        if (evaluated.isEmpty()) {
            return null;
        }
        PeriodEvaluation.State s = PeriodEvaluation.evaluate(condition(), forPeriods == null ? 1 : forPeriods,
                evaluated);
        Map.Entry<String, Double> previous = evaluated.lowerEntry(s.period());
        boolean latest = s.period().equals(in.period()) || state == null;
        return new AlertRecord(id, in.labels(), s.status(), Since.period(s.since()), s.period(), s.value(),
                previous == null ? null : previous.getValue(), false, latest ? in.source() : state.source(),
                latest ? in.eventId() : state.eventId(), latest ? in.vintage() : state.vintage());
    }

    private NavigableMap<String, Double> transformed(NavigableMap<String, Double> values) {
        if (transform == null || transform.equals("value")) {
            return values;
        }
        NavigableMap<String, Double> out = new TreeMap<>();
        Double previous = null;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (transform.equals("abs")) {
                out.put(e.getKey(), Math.abs(e.getValue()));
            } else if (previous != null) {
                out.put(e.getKey(), e.getValue() - previous);
            }
            previous = e.getValue();
        }
        return out;
    }
}
