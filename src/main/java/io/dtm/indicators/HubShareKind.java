package io.dtm.indicators;

import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code hub_share_pct}: the sum of a compute metric over the hub regions of one hub group (regions
 * {@code CHN-…} whose {@code hubGroup} matches) over the country's national total ·100. Group: the entry and
 * the country; slots {@code period|total} and {@code period|hub|region}.
 */
final class HubShareKind implements IndicatorKind {

    private final String id;
    private final String metric;
    private final String hubGroup;

    HubShareKind(String id, String metric, String hubGroup) {
        this.id = id;
        this.metric = metric;
        this.hubGroup = hubGroup;
    }

    @Override
    public List<Placement> place(Observation obs) {
        if (obs.value() == null || !Feed.COMPUTE.label().equals(obs.feed()) || !metric.equals(obs.category())
                || !Period.isValid(obs.period())) {
            return List.of();
        }
        String region = obs.reporter();
        boolean hub = region.length() > 4 && region.charAt(3) == '-';
        if (hub && !hubGroup.equals(obs.hubGroup())) {
            return List.of();
        }
        String country = region.substring(0, 3);
        String slot = obs.period() + (hub ? "|hub|" + region : "|total");
        return List.of(new Placement(groupOf(country, "", "", metric), slot, Set.of(obs.period())));
    }

    /** A withdrawn hub observation is looked for in this entry's group whatever hub group it named. */
    @Override
    public List<Placement> placeWithdrawn(Observation withdrawn) {
        return place(new Observation(withdrawn.feed(), withdrawn.reporter(), withdrawn.partner(), withdrawn.flow(),
                withdrawn.category(), withdrawn.period(), withdrawn.value(), withdrawn.unit(), withdrawn.vintage(),
                withdrawn.source(), withdrawn.id(), withdrawn.reportedGrowthPct(), withdrawn.direction(),
                withdrawn.description(), hubGroup, withdrawn.synthetic()));
    }

    @Override
    public String groupOf(String reporter, String partner, String flow, String category) {
        return id + "|" + reporter;
    }

    @Override
    public List<IndicatorValue> compute(String group, String period, Inputs inputs) {
        Observation total = inputs.get(period + "|total");
        List<Observation> hubs = inputs.scan(period + "|hub|");
        if (total == null || hubs.isEmpty()) {
            return List.of();
        }
        double sum = hubs.stream().mapToDouble(Observation::value).sum();
        List<Observation> used = new ArrayList<>(hubs);
        used.add(0, total);
        return Formulas.sharePct(sum, total.value()).stream()
                .mapToObj(v -> IndicatorValue.of(id, "hub_share_pct", total.reporter(), "", "", metric, period, v, used))
                .toList();
    }
}
