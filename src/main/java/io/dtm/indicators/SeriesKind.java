package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Indicators of one series over time: {@code yoy_growth_pct}, {@code cagr_pct} (window of n years) and
 * {@code growth_consistency_gap_pp} (published growth − computed growth). Group: the entry and the series (the
 * entry reads one feed); slot: the period.
 */
final class SeriesKind implements IndicatorKind {

    /** The formula over the value of a period and the value n years earlier. */
    enum Formula { YOY_GROWTH, CAGR, CONSISTENCY_GAP }

    private final String id;
    private final String kind;
    private final Selector select;
    private final int years;
    private final Formula formula;

    SeriesKind(String id, String kind, Selector select, int years, Formula formula) {
        this.id = id;
        this.kind = kind;
        this.select = select;
        this.years = years;
        this.formula = formula;
    }

    @Override
    public List<Placement> place(Observation obs) {
        if (!select.matches(obs) || !Period.isValid(obs.period())) {
            return List.of();
        }
        Set<String> periods = new LinkedHashSet<>();
        periods.add(obs.period());
        Period.shiftYears(obs.period(), years).ifPresent(periods::add);
        return List.of(new Placement(groupOf(obs.reporter(), obs.partner(), obs.flow(), obs.category()),
                obs.period(), periods));
    }

    /** Computed where the observations are partitioned by series: slot = period, read from the series' periods. */
    @Override
    public boolean bySeries() {
        return true;
    }

    @Override
    public String inputSeries(String reporter, String partner, String flow, String category) {
        return new io.dtm.events.SeriesKey(select.feed(), reporter, partner, flow, category).toString();
    }

    /** A value of period p reads the observations of p and p − n years, and those are the periods placed. */
    @Override
    public boolean valuesReadTheirInput() {
        return true;
    }

    /** The group is {@code id|reporter|partner|flow|category}, the output series' key. */
    @Override
    public boolean groupIsItsSeries() {
        return true;
    }

    @Override
    public String groupOf(String reporter, String partner, String flow, String category) {
        return String.join("|", id, reporter, partner, flow, category);
    }

    @Override
    public List<IndicatorValue> compute(String group, String period, Inputs inputs) {
        Observation current = inputs.get(period);
        if (current == null || formula == Formula.CONSISTENCY_GAP && current.reportedGrowthPct() == null) {
            return List.of();
        }
        Observation base = Period.shiftYears(period, -years).map(inputs::get).orElse(null);
        if (current == null || base == null) {
            return List.of();
        }
        OptionalDouble value = switch (formula) {
            case YOY_GROWTH -> Formulas.yoyGrowthPct(current.value(), base.value());
            case CAGR -> Formulas.cagrPct(current.value(), base.value(), years);
            case CONSISTENCY_GAP -> current.reportedGrowthPct() == null ? OptionalDouble.empty()
                    : Formulas.yoyGrowthPct(current.value(), base.value())
                            .stream().map(g -> current.reportedGrowthPct() - g).findFirst();
        };
        if (value.isEmpty()) {
            return List.of();
        }
        return List.of(IndicatorValue.of(id, kind, current.reporter(), current.partner(), current.flow(),
                current.category(), period, value.getAsDouble(), List.of(current, base)));
    }
}
