package io.dtm.alerts;

import io.dtm.events.IndicatorValue;
import io.dtm.events.ModelSnapshot;
import io.dtm.api.Problems;
import io.dtm.events.Period;
import io.dtm.metrics.AlertGauges;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Role;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topics;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code alerts} sub-topologies: {@code dtm.alert-rules.v1} → each rule checked → sent to every partition of
 * the matching ({@code alerts-rule-changes}); {@code dtm.indicators.v1} and {@code dtm.model-releases.v1} (the
 * models' estimates as of each release, not the live snapshots of {@code dtm.model.v1}: see {@link AlertProcessor})
 * and the rule changes → the alerts (rule, label set) each value may change → repartition by alert → evaluate →
 * {@code dtm.alerts.v1}. Its shape does not depend on the rules, which flow through it as data.
 */
@ApplicationScoped
public class AlertsTopology implements SubTopology {

    /** Every rule in force (id → its latest version), in every task of the matching: what the REST API reads. */
    public static final String RULE_STORE = "alert-rule-store";
    /** Every alert's inputs by period (indicator rules) or release (model rules), with their provenance. */
    public static final String INPUT_STORE = "alert-input-store";
    /** The state of every alert. */
    public static final String STATE_STORE = "alert-state-store";
    /** The latest version of each rule the evaluation has seen (deleted ones too), by id. */
    static final String EVALUATED_RULE_STORE = "alert-evaluated-rule-store";
    /** The latest indicator values and model estimates by release, for rules that are added or changed. */
    static final String INDICATOR_STORE = "alert-indicator-store";
    static final String MODEL_STORE = "alert-model-store";

    private final AlertGauges gauges;
    private final DtmConfig config;

    AlertsTopology(MeterRegistry registry, DtmConfig config) {
        this.gauges = new AlertGauges(registry);
        this.config = config;
    }

    @Override
    public Role role() {
        return Role.ALERTS;
    }

    @Override
    public void addTo(StreamsBuilder builder) {
        build(builder, config.topics().partitions(), gauges, Stores::persistentKeyValueStore);
    }

    /**
     * Builds the sub-topologies.
     *
     * @param partitions the partitions of the rule changes: those of the alert inputs ({@code dtm.topics.partitions}),
     *                   so that every task of the matching reads every change
     */
    public static void build(StreamsBuilder builder, int partitions, AlertGauges gauges,
            Function<String, KeyValueBytesStoreSupplier> stores) {
        JsonSerde<RuleVersion> versions = JsonSerde.of(RuleVersion.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(RULE_STORE), Serdes.String(), versions));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(EVALUATED_RULE_STORE), Serdes.String(),
                versions));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(INPUT_STORE), Serdes.String(),
                JsonSerde.of(AlertInput.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(STATE_STORE), Serdes.String(),
                JsonSerde.of(AlertRecord.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(INDICATOR_STORE), Serdes.String(),
                JsonSerde.of(IndicatorValue.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(MODEL_STORE), Serdes.String(),
                JsonSerde.of(ModelSnapshot.class)));
        KStream<String, MatchInput> ruleChanges = builder
                .stream(Topics.ALERT_RULES.name(), Consumed.with(Serdes.String(), JsonSerde.of(ObjectNode.class))
                        .withName("alerts-read-rules"))
                .processValues(RuleCheck::new, Named.as("alerts-check-rules"))
                .repartition(Repartitioned.with(Serdes.String(), versions).withName("alerts-rule-changes")
                        .withNumberOfPartitions(partitions).withStreamPartitioner(new EveryPartition<>()))
                .mapValues(MatchInput.RuleChange::new, Named.as("alerts-as-rule-change"));
        KStream<String, MatchInput> indicators = builder
                .stream(Topics.INDICATORS.name(), Topics.INDICATORS.consumed("alerts-read-indicators"))
                .mapValues(MatchInput.Indicator::new, Named.as("alerts-as-indicator"));
        KStream<String, MatchInput> models = builder
                .stream(Topics.MODEL_RELEASES.name(), Topics.MODEL_RELEASES.consumed("alerts-read-model-releases"))
                .mapValues(MatchInput.ModelRelease::new, Named.as("alerts-as-model-release"));
        ruleChanges.merge(indicators, Named.as("alerts-merge-indicators"))
                .merge(models, Named.as("alerts-merge-models"))
                .process(() -> new RuleMatcher(gauges), Named.as("alerts-match"), RULE_STORE, INDICATOR_STORE,
                        MODEL_STORE)
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(AlertInput.class))
                        .withName("alerts-by-alert"))
                .process(() -> new AlertProcessor(gauges), Named.as("alerts-evaluate"), EVALUATED_RULE_STORE,
                        INPUT_STORE, STATE_STORE)
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
        for (AlertRule any : rules.values()) {
            if (!(any instanceof AlertRule.OnIndicators rule) || (value == null && rule.indicator() != null)
                    || !rule.selects(labels)) {
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
                    first == null ? null : first.id(), first == null ? null : first.vintage(), null)));
        }
        return out;
    }

    /**
     * A model's estimate as of one release (key {@code model|vintage}) → the inputs, for that release, of the alerts
     * of the model rules on it: the value of each rule's measure, or {@code null} (the release's value withdrawn)
     * when the release no longer stands (a tombstone), the statistic was not computed or the term is not in the
     * estimate. A value that is not an estimate as of the release its key names is refused (an exception, so that
     * the record goes to the dead-letter topic).
     */
    static List<KeyValue<String, AlertInput>> fromModel(Map<String, AlertRule> rules, String topicKey,
            ModelSnapshot snapshot) {
        List<KeyValue<String, AlertInput>> out = new ArrayList<>();
        int cut = topicKey.indexOf('|');
        boolean named = cut > 0 && Period.isDate(topicKey.substring(cut + 1));
        if (snapshot == null && !named) {
            return out;
        }
        String model = named ? topicKey.substring(0, cut) : null;
        String release = named ? topicKey.substring(cut + 1) : null;
        if (snapshot != null && (!named || !model.equals(snapshot.model()) || snapshot.trigger() == null
                || !release.equals(snapshot.trigger().vintage()) || snapshot.estimates() == null)) {
            throw new IllegalArgumentException("not a model's estimate as of the release its key names "
                    + "(model|YYYY-MM-DD, with that model and vintage): key " + Problems.echo(topicKey));
        }
        ModelSnapshot.Trigger t = snapshot == null ? null : snapshot.trigger();
        String source = t == null ? null : t.source();
        String id = t == null ? null : t.id();
        for (AlertRule any : rules.values()) {
            if (!(any instanceof ModelThreshold rule) || !model.equals(rule.model())) {
                continue;
            }
            if (rule.measure().equals("stability_ratio")) {
                ModelSnapshot.Stability s = snapshot == null ? null : snapshot.stability();
                Double ratio = s != null && "OK".equals(s.status()) ? s.ratio() : null;
                out.add(KeyValue.pair(rule.id() + "|" + model, new AlertInput(rule.id(), Map.of("model", model),
                        release, ratio, source, id, release, null)));
                continue;
            }
            if (rule.measure().equals("chow_p_value")) {
                ModelSnapshot.Stability s = snapshot == null ? null : snapshot.stability();
                out.add(KeyValue.pair(rule.id() + "|" + model, new AlertInput(rule.id(), Map.of("model", model),
                        release, s == null ? null : s.chowBootstrapP(), source, id, release, null)));
                continue;
            }
            if (rule.measure().equals("shift_p_value")) {
                Map<String, Double> p = shiftPValues(snapshot);
                List<String> names = rule.terms() == null || rule.terms().isEmpty() ? List.of("joint") : rule.terms();
                for (String name : names) {
                    out.add(KeyValue.pair(rule.id() + "|" + model + "|" + name, new AlertInput(rule.id(),
                            Map.of("model", model, "term", name), release, p.get(name), source, id, release, null)));
                }
                continue;
            }
            String estimate = rule.estimate() == null ? "all" : rule.estimate();
            Map<String, ModelSnapshot.Term> terms = new LinkedHashMap<>();
            if (snapshot != null) {
                snapshot.estimates().stream().filter(e -> e.estimate().equals(estimate) && e.terms() != null)
                        .forEach(e -> e.terms().forEach(term -> terms.put(term.term(), term)));
            }
            for (String name : rule.terms()) {
                ModelSnapshot.Term term = terms.get(name);
                Double value = term == null ? null : !rule.measure().equals("p_value") ? term.coefficient()
                        : term.clustered() == null ? null : term.clustered().p();
                out.add(KeyValue.pair(rule.id() + "|" + model + "|" + estimate + "|" + name, new AlertInput(rule.id(),
                        Map.of("model", model, "estimate", estimate, "term", name), release, value, source, id,
                        release, null)));
            }
        }
        return out;
    }

    /** The driver-shift p-values (bootstrap) by term and {@code joint}, of those computed at the release. */
    private static Map<String, Double> shiftPValues(ModelSnapshot snapshot) {
        Map<String, Double> p = new LinkedHashMap<>();
        ModelSnapshot.Shift shift = snapshot == null || snapshot.stability() == null ? null
                : snapshot.stability().shift();
        if (shift == null) {
            return p;
        }
        if (shift.joint() != null) {
            p.put("joint", shift.joint().bootstrapP());
        }
        if (shift.terms() != null) {
            shift.terms().forEach(term -> p.put(term.term(), term.bootstrapP()));
        }
        return p;
    }
}
