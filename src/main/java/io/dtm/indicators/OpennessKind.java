package io.dtm.indicators;

import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code openness_index}: 1 − the restrictiveness index (e.g. DSTRI) in force at the end of each year, per
 * country, from the year of the first policy event to the later of the last event's year and {@code until}.
 * Group: the entry and the country; slots: the effective dates.
 */
final class OpennessKind implements IndicatorKind {

    private final String id;
    private final String measure;
    private final int until;

    OpennessKind(String id, String measure, int until) {
        this.id = id;
        this.measure = measure;
        this.until = until;
    }

    @Override
    public List<Placement> place(Observation obs) {
        if (obs.value() == null || !Feed.POLICY.label().equals(obs.feed()) || !measure.equals(obs.category())) {
            return List.of();
        }
        return List.of(new Placement(groupOf(obs.reporter(), "", "", measure), obs.period(), null));
    }

    @Override
    public String groupOf(String reporter, String partner, String flow, String category) {
        return id + "|" + reporter;
    }

    @Override
    public Set<String> periods(Inputs inputs) {
        List<Observation> all = inputs.scan("");
        Set<String> years = new TreeSet<>();
        if (all.isEmpty()) {
            return years;
        }
        int first = Period.year(all.get(0).period());
        int last = Math.max(until, Period.year(all.get(all.size() - 1).period()));
        for (int y = first; y <= last; y++) {
            years.add(Integer.toString(y));
        }
        return years;
    }

    @Override
    public List<IndicatorValue> compute(String group, String period, Inputs inputs) {
        return Observation.inForceAtYearEnd(inputs.scan(""), Period.year(period))
                .map(inForce -> List.of(IndicatorValue.of(id, "openness_index", inForce.reporter(), "", "", measure,
                        period, Formulas.openness(inForce.value()), List.of(inForce))))
                .orElse(List.of());
    }
}
