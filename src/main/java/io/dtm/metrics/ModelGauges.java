package io.dtm.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports the drivers models (DESIGN §6), at full double precision; {@code estimate} is {@code all} or
 * {@code rolling}, {@code type} is {@code classical} or {@code clustered}:
 * <ul>
 * <li>{@code dtm_model_coefficient{model,estimate,term}}</li>
 * <li>{@code dtm_model_std_error{model,estimate,term,type}}, {@code dtm_model_p_value{model,estimate,term,type}}</li>
 * <li>{@code dtm_model_r_squared{model,estimate}} (within), {@code dtm_model_observations{model,estimate}}</li>
 * <li>{@code dtm_model_stability_ratio{model}}: CUSUM max |W_r| / bound_r; above 1 the coefficients are not stable</li>
 * <li>{@code dtm_model_shift_p_value{model,term}}: driver-shift test of the rolling window against the years before
 * it, wild cluster bootstrap p-value per term and {@code term="joint"}; absent (no sample) when not computed</li>
 * </ul>
 * An estimate that is not identified exports its observations only: its coefficient series disappear rather than
 * showing NaN. A model is exported by the instance whose task owns it.
 */
public final class ModelGauges {

    private final MeterRegistry registry;
    private final Map<String, Holder> gauges = new ConcurrentHashMap<>();

    public ModelGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One term of an estimate. */
    public void term(String model, String estimate, String term, double coefficient, double seClassical,
            double seClustered, double pClassical, double pClustered) {
        Tags tags = Tags.of("model", model, "estimate", estimate, "term", term);
        set("dtm.model.coefficient", "Coefficient of a model term", tags, coefficient);
        set("dtm.model.std.error", "Standard error of a model term", tags.and("type", "classical"), seClassical);
        set("dtm.model.std.error", "Standard error of a model term", tags.and("type", "clustered"), seClustered);
        set("dtm.model.p.value", "Two-sided p-value of a model term", tags.and("type", "classical"), pClassical);
        set("dtm.model.p.value", "Two-sided p-value of a model term", tags.and("type", "clustered"), pClustered);
    }

    /** The fit of an estimate. */
    public void fit(String model, String estimate, double rSquared, int observations) {
        Tags tags = Tags.of("model", model, "estimate", estimate);
        set("dtm.model.r.squared", "Within R² of a model estimate", tags, rSquared);
        set("dtm.model.observations", "Rows (N) in a model estimate", tags, observations);
    }

    /** The stability ratio of a model. */
    public void stability(String model, double ratio) {
        set("dtm.model.stability.ratio", "CUSUM max |W_r| / 5% bound; above 1 the coefficients are not stable",
                Tags.of("model", model), ratio);
    }

    /**
     * The driver-shift p-values of a model, by term ({@code joint} for the joint test); the series of terms not in
     * {@code pValues} are removed, so a test that could not be computed has no sample rather than 0.
     */
    public void shift(String model, Map<String, Double> pValues) {
        remove(key -> key.startsWith(SHIFT + "{model=" + model + ",") && !pValues.containsKey(termOf(key)));
        pValues.forEach((term, p) -> set(SHIFT, "Driver-shift test p-value (wild cluster bootstrap): the rolling "
                + "window's slope against the years before it", Tags.of("model", model, "term", term), p));
    }

    private static final String SHIFT = "dtm.model.shift.p.value";

    private static String termOf(String key) {
        int at = key.indexOf(",term=");
        return at < 0 ? "" : key.substring(at + 6, key.indexOf(',', at + 6));
    }

    /** Removes the term series of one estimate (all terms), e.g. when it is not identified or a term is dropped. */
    public void clearTerms(String model, String estimate) {
        remove(key -> key.contains("model=" + model + ",") && key.contains("estimate=" + estimate + ",")
                && key.contains("term="));
    }

    /** Removes every series of a model. */
    public void clearModel(String model) {
        remove(key -> key.contains("model=" + model + ","));
    }

    private void set(String name, String description, Tags tags, double value) {
        Holder holder = gauges.computeIfAbsent(key(name, tags), k -> {
            Holder h = new Holder();
            h.gauge = Gauge.builder(name, h, x -> x.value).description(description).tags(tags).register(registry);
            return h;
        });
        holder.value = value;
    }

    private void remove(java.util.function.Predicate<String> which) {
        for (Iterator<Map.Entry<String, Holder>> it = gauges.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Holder> e = it.next();
            if (which.test(e.getKey())) {
                registry.remove(e.getValue().gauge);
                it.remove();
            }
        }
    }

    private static String key(String name, Tags tags) {
        StringBuilder key = new StringBuilder(name).append('{');
        tags.forEach(t -> key.append(t.getKey()).append('=').append(t.getValue()).append(','));
        return key.append('}').toString();
    }

    private static final class Holder {
        volatile double value;
        Gauge gauge;
    }
}
