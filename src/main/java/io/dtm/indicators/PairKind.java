package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Indicators of two series in the same period: {@code share_pct} (numerator / denominator ·100, matched on
 * reporter, partner and flow) and {@code balance} (exports − imports, matched on reporter, partner and category).
 */
final class PairKind implements IndicatorKind {

    private final String id;
    private final String kind;
    private final Selector first;
    private final Selector second;
    private final boolean balance;

    private PairKind(String id, String kind, Selector first, Selector second, boolean balance) {
        this.id = id;
        this.kind = kind;
        this.first = first;
        this.second = second;
        this.balance = balance;
    }

    static PairKind share(String id, Selector numerator, Selector denominator) {
        return new PairKind(id, "share_pct", numerator, denominator, false);
    }

    static PairKind balance(String id, Selector select) {
        return new PairKind(id, "balance", select.orFlow("EXPORT"),
                new Selector(select.feed(), select.reporter(), select.partner(), "IMPORT", select.category()), true);
    }

    @Override
    public List<Placement> place(Observation obs) {
        if (!Period.isValid(obs.period())) {
            return List.of();
        }
        String group = groupOf(obs.reporter(), obs.partner(), obs.flow(), obs.category());
        List<Placement> placements = new ArrayList<>(2);
        if (first.matches(obs)) {
            placements.add(new Placement(group, obs.period() + "|a", Set.of(obs.period())));
        }
        if (second.matches(obs)) {
            placements.add(new Placement(group, obs.period() + "|b", Set.of(obs.period())));
        }
        return placements;
    }

    @Override
    public String groupOf(String reporter, String partner, String flow, String category) {
        return balance ? String.join("|", id, reporter, partner, category) : String.join("|", id, reporter, partner, flow);
    }

    @Override
    public List<IndicatorValue> compute(String group, String period, Inputs inputs) {
        Observation a = inputs.get(period + "|a");
        Observation b = inputs.get(period + "|b");
        if (a == null || b == null) {
            return List.of();
        }
        OptionalDouble value = balance ? OptionalDouble.of(a.value() - b.value()) : Formulas.sharePct(a.value(), b.value());
        if (value.isEmpty()) {
            return List.of();
        }
        return List.of(IndicatorValue.of(id, kind, a.reporter(), a.partner(), balance ? "" : a.flow(), a.category(),
                period, value.getAsDouble(), List.of(a, b)));
    }
}
