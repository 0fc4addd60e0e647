package io.dtm.alerts;

import io.dtm.events.IndicatorValue;
import io.dtm.events.ModelSnapshot;
import io.dtm.metrics.AlertGauges;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Role;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code alerts} sub-topology: {@code dtm.indicators.v1} and {@code dtm.model.v1} → the alerts (rule, label
 * set) each value may change → repartition by alert → evaluate → {@code dtm.alerts.v1}. Its shape does not depend
 * on the rules.
 */
@ApplicationScoped
public class AlertsTopology implements SubTopology {

    /** Indicator rules' inputs by alert and period. */
    public static final String SERIES_STORE = "alert-series-store";
    /** The state of every alert. */
    public static final String STATE_STORE = "alert-state-store";
    /** The latest indicator values and model snapshots, for rules that are added or changed. */
    static final String INDICATOR_STORE = "alert-indicator-store";
    static final String MODEL_STORE = "alert-model-store";
    /** The rules each matcher has evaluated on its latest values (id → the rule as JSON). */
    static final String INDICATOR_RULES_STORE = "alert-indicator-rules-store";
    static final String MODEL_RULES_STORE = "alert-model-rules-store";

    private final AlertRuleBook rules;

    AlertsTopology(AlertRuleBook rules) {
        this.rules = rules;
    }

    @Override
    public Role role() {
        return Role.ALERTS;
    }

    @Override
    public void addTo(StreamsBuilder builder) {
        build(builder, rules::loaded, rules.gauges(), Stores::persistentKeyValueStore);
    }

    /** Builds the sub-topology; {@code rules} gives the rules in force whenever a value is evaluated. */
    public static void build(StreamsBuilder builder, Supplier<Map<String, AlertRule>> rules, AlertGauges gauges,
            Function<String, KeyValueBytesStoreSupplier> stores) {
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(SERIES_STORE), Serdes.String(),
                Serdes.Double()));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(STATE_STORE), Serdes.String(),
                JsonSerde.of(AlertRecord.class)));
        for (String store : List.of(INDICATOR_RULES_STORE, MODEL_RULES_STORE)) {
            builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(store), Serdes.String(), Serdes.String()));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(INDICATOR_STORE), Serdes.String(),
                JsonSerde.of(IndicatorValue.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(MODEL_STORE), Serdes.String(),
                JsonSerde.of(ModelSnapshot.class)));
        KStream<String, AlertInput> fromIndicators = builder
                .stream(Topics.INDICATORS.name(), Topics.INDICATORS.consumed("alerts-read-indicators"))
                .process(() -> new RuleMatcher<IndicatorValue>(rules, INDICATOR_STORE, INDICATOR_RULES_STORE,
                        AlertsTopology::fromIndicator), Named.as("alerts-match-indicators"), INDICATOR_STORE,
                        INDICATOR_RULES_STORE);
        KStream<String, AlertInput> fromModels = builder
                .stream(Topics.MODEL.name(), Topics.MODEL.consumed("alerts-read-models"))
                .process(() -> new RuleMatcher<ModelSnapshot>(rules, MODEL_STORE, MODEL_RULES_STORE,
                        (r, key, snapshot) -> fromModel(r, snapshot)), Named.as("alerts-match-models"), MODEL_STORE,
                        MODEL_RULES_STORE);
        fromIndicators.merge(fromModels, Named.as("alerts-merge-inputs"))
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(AlertInput.class))
                        .withName("alerts-by-alert"))
                .process(() -> new AlertProcessor(rules, gauges), Named.as("alerts-evaluate"), SERIES_STORE,
                        STATE_STORE)
                .to(Topics.ALERTS.name(), Topics.ALERTS.produced("alerts-write"));
    }

    /** Indicator values (and withdrawals) → the alerts of the rules that select them. */
    static List<KeyValue<String, AlertInput>> fromIndicator(Map<String, AlertRule> rules, String topicKey,
            IndicatorValue value) {
        List<KeyValue<String, AlertInput>> out = new ArrayList<>();
        String[] parts = topicKey.split("\\|", -1);
        if (parts.length != 6) {
            return out;
        }
        IndicatorValue labels = value != null ? value : new IndicatorValue(parts[0], null, parts[1], parts[2],
                parts[3], parts[4], parts[5], 0, false, List.of(), 0);
        for (AlertRule rule : rules.values()) {
            if (!rule.readsIndicators() || (value == null && rule.indicator() != null) || !rule.selects(labels)) {
                continue;
            }
            Map<String, String> l = new LinkedHashMap<>();
            l.put("id", labels.id());
            l.put("reporter", labels.reporter());
            l.put("partner", labels.partner());
            l.put("flow", labels.flow());
            l.put("category", labels.category());
            // the provenance: the input of the latest vintage, the one that made this value what it is
            IndicatorValue.Input first = value == null ? null : value.inputs().stream()
                    .max(java.util.Comparator.comparing(IndicatorValue.Input::vintage,
                            java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                    .orElse(null);
            out.add(KeyValue.pair(rule.id() + "|" + labels.seriesKey(), new AlertInput(rule.id(), l, labels.period(),
                    value == null ? null : value.value(), first == null ? null : first.source(),
                    first == null ? null : first.id(), first == null ? null : first.vintage())));
        }
        return out;
    }

    /** A model snapshot → the alerts of the model rules on it. */
    static List<KeyValue<String, AlertInput>> fromModel(Map<String, AlertRule> rules, ModelSnapshot snapshot) {
        List<KeyValue<String, AlertInput>> out = new ArrayList<>();
        if (snapshot == null) {
            return out;
        }
        ModelSnapshot.Trigger t = snapshot.trigger();
        for (AlertRule rule : rules.values()) {
            if (!"model".equals(rule.source()) || !snapshot.model().equals(rule.model())) {
                continue;
            }
            if (rule.measure().equals("stability_ratio")) {
                if (snapshot.stability() != null && "OK".equals(snapshot.stability().status())) {
                    out.add(KeyValue.pair(rule.id() + "|" + snapshot.model(), new AlertInput(rule.id(),
                            Map.of("model", snapshot.model()), null, snapshot.stability().ratio(),
                            t == null ? null : t.source(), t == null ? null : t.id(), t == null ? null : t.vintage())));
                }
                continue;
            }
            if (rule.measure().equals("chow_p_value")) {
                if (snapshot.stability() != null && snapshot.stability().chowBootstrapP() != null) {
                    out.add(KeyValue.pair(rule.id() + "|" + snapshot.model(), new AlertInput(rule.id(),
                            Map.of("model", snapshot.model()), null, snapshot.stability().chowBootstrapP(),
                            t == null ? null : t.source(), t == null ? null : t.id(), t == null ? null : t.vintage())));
                }
                continue;
            }
            if (rule.measure().equals("shift_p_value")) {
                out.addAll(fromShift(rule, snapshot));
                continue;
            }
            String estimate = rule.estimate() == null ? "all" : rule.estimate();
            for (ModelSnapshot.Estimate e : snapshot.estimates()) {
                if (!e.estimate().equals(estimate)) {
                    continue;
                }
                for (ModelSnapshot.Term term : e.terms()) {
                    if (rule.terms().contains(term.term())) {
                        double value = rule.measure().equals("p_value") ? term.clustered().p() : term.coefficient();
                        out.add(KeyValue.pair(rule.id() + "|" + snapshot.model() + "|" + estimate + "|" + term.term(),
                                new AlertInput(rule.id(), Map.of("model", snapshot.model(), "estimate", estimate,
                                        "term", term.term()), null, value, t == null ? null : t.source(),
                                        t == null ? null : t.id(), t == null ? null : t.vintage())));
                    }
                }
            }
        }
        return out;
    }

    /** The driver-shift p-values (bootstrap) of the rule's terms ({@code joint} when none is named) that were computed. */
    private static List<KeyValue<String, AlertInput>> fromShift(AlertRule rule, ModelSnapshot snapshot) {
        List<KeyValue<String, AlertInput>> out = new ArrayList<>();
        ModelSnapshot.Shift shift = snapshot.stability() == null ? null : snapshot.stability().shift();
        if (shift == null) {
            return out;
        }
        Map<String, Double> p = new LinkedHashMap<>();
        if (shift.joint() != null) {
            p.put("joint", shift.joint().bootstrapP());
        }
        if (shift.terms() != null) {
            shift.terms().forEach(term -> p.put(term.term(), term.bootstrapP()));
        }
        ModelSnapshot.Trigger t = snapshot.trigger();
        List<String> terms = rule.terms() == null || rule.terms().isEmpty() ? List.of("joint") : rule.terms();
        for (String term : terms) {
            if (p.containsKey(term)) {
                out.add(KeyValue.pair(rule.id() + "|" + snapshot.model() + "|" + term, new AlertInput(rule.id(),
                        Map.of("model", snapshot.model(), "term", term), null, p.get(term),
                        t == null ? null : t.source(), t == null ? null : t.id(), t == null ? null : t.vintage())));
            }
        }
        return out;
    }
}
