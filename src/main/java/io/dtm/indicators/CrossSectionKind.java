package io.dtm.indicators;

import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Indicators of every reporter against the world in one period: {@code market_share_pct} (X_ik / X_wk ·100) and
 * {@code rca} ((X_ik / X_i) / (X_wk / X_w)). Group: the entry; slots {@code period|reporter|category}.
 */
final class CrossSectionKind implements IndicatorKind {

    private final String id;
    private final String kind;
    private final String feed;
    private final String flow;
    private final String partner;
    private final String world;
    private final String category;
    /** The total category for {@code rca}; {@code null} for {@code market_share_pct}. */
    private final String totalCategory;

    private CrossSectionKind(String id, String kind, String flow, String partner, String world, String category,
            String totalCategory) {
        this.id = id;
        this.kind = kind;
        this.feed = Feed.TRADE.label();
        this.flow = flow;
        this.partner = partner;
        this.world = world;
        this.category = category;
        this.totalCategory = totalCategory;
    }

    static CrossSectionKind marketShare(String id, String flow, String partner, String world, String category) {
        return new CrossSectionKind(id, "market_share_pct", flow, partner, world, category, null);
    }

    static CrossSectionKind rca(String id, String flow, String partner, String world, String category, String total) {
        return new CrossSectionKind(id, "rca", flow, partner, world, category, total);
    }

    @Override
    public List<Placement> place(Observation obs) {
        boolean ours = obs.value() != null && feed.equals(obs.feed()) && flow.equals(obs.flow())
                && partner.equals(obs.partner()) && Period.isValid(obs.period())
                && (category.equals(obs.category()) || obs.category().equals(totalCategory));
        if (!ours) {
            return List.of();
        }
        return List.of(new Placement(id, obs.period() + "|" + obs.reporter() + "|" + obs.category(),
                Set.of(obs.period())));
    }

    @Override
    public String groupOf(String reporter, String partner, String flow, String category) {
        return id;
    }

    @Override
    public List<IndicatorValue> compute(String group, String period, Inputs inputs) {
        Observation worldCategory = inputs.get(period + "|" + world + "|" + category);
        Observation worldTotal = totalCategory == null ? null : inputs.get(period + "|" + world + "|" + totalCategory);
        if (worldCategory == null || (totalCategory != null && worldTotal == null)) {
            return List.of();
        }
        Map<String, Observation[]> byReporter = new LinkedHashMap<>();
        for (Observation obs : inputs.scan(period + "|")) {
            if (!obs.reporter().equals(world)) {
                byReporter.computeIfAbsent(obs.reporter(), r -> new Observation[2])
                        [obs.category().equals(category) ? 0 : 1] = obs;
            }
        }
        List<IndicatorValue> values = new ArrayList<>();
        byReporter.forEach((reporter, pair) -> {
            if (pair[0] == null || (totalCategory != null && pair[1] == null)) {
                return;
            }
            OptionalDouble value = totalCategory == null
                    ? Formulas.sharePct(pair[0].value(), worldCategory.value())
                    : Formulas.rca(pair[0].value(), pair[1].value(), worldCategory.value(), worldTotal.value());
            List<Observation> used = totalCategory == null ? List.of(pair[0], worldCategory)
                    : List.of(pair[0], pair[1], worldCategory, worldTotal);
            value.ifPresent(v -> values.add(IndicatorValue.of(id, kind, reporter, partner, flow, category, period, v,
                    used)));
        });
        return values;
    }
}
