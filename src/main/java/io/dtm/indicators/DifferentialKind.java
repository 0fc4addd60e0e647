package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code growth_differential_pp}: year-on-year growth of series A minus that of series B (e.g. RCEP vs
 * NON_RCEP), labelled with series A. Group: the entry; slots {@code a|period} and {@code b|period}.
 */
final class DifferentialKind implements IndicatorKind {

    private final String id;
    private final Selector a;
    private final Selector b;

    DifferentialKind(String id, Selector a, Selector b) {
        this.id = id;
        this.a = a;
        this.b = b;
    }

    @Override
    public List<Placement> place(Observation obs) {
        if (!Period.isValid(obs.period())) {
            return List.of();
        }
        Set<String> periods = new LinkedHashSet<>();
        periods.add(obs.period());
        Period.shiftYears(obs.period(), 1).ifPresent(periods::add);
        List<Placement> placements = new ArrayList<>(2);
        if (a.matches(obs)) {
            placements.add(new Placement(id, "a|" + obs.period(), periods));
        }
        if (b.matches(obs)) {
            placements.add(new Placement(id, "b|" + obs.period(), periods));
        }
        return placements;
    }

    @Override
    public String groupOf(String reporter, String partner, String flow, String category) {
        return id;
    }

    @Override
    public List<IndicatorValue> compute(String group, String period, Inputs inputs) {
        String previous = Period.shiftYears(period, -1).orElse(null);
        if (previous == null) {
            return List.of();
        }
        Observation a1 = inputs.get("a|" + period);
        Observation a0 = inputs.get("a|" + previous);
        Observation b1 = inputs.get("b|" + period);
        Observation b0 = inputs.get("b|" + previous);
        if (a1 == null || a0 == null || b1 == null || b0 == null) {
            return List.of();
        }
        OptionalDouble growthA = Formulas.yoyGrowthPct(a1.value(), a0.value());
        OptionalDouble growthB = Formulas.yoyGrowthPct(b1.value(), b0.value());
        if (growthA.isEmpty() || growthB.isEmpty()) {
            return List.of();
        }
        return List.of(IndicatorValue.of(id, "growth_differential_pp", a1.reporter(), a1.partner(), a1.flow(),
                a1.category(), period, growthA.getAsDouble() - growthB.getAsDouble(), List.of(a1, a0, b1, b0)));
    }
}
