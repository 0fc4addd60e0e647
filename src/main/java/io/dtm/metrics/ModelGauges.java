package io.dtm.metrics;

import io.dtm.events.ModelSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Exports the drivers models (DESIGN §6), at full double precision; {@code estimate} is {@code all} or
 * {@code rolling}, {@code type} is {@code classical} (σ² = RSS / (N − E − K), t on N − E − K) or {@code clustered}
 * (CR1 by entity, as R plm's {@code vcovHC(method = "arellano", type = "sss", cluster = "group")}, t on G − 1):
 * <ul>
 * <li>{@code dtm_model_coefficient{model,estimate,term}}</li>
 * <li>{@code dtm_model_std_error{model,estimate,term,type}}, {@code dtm_model_p_value{model,estimate,term,type}}</li>
 * <li>{@code dtm_model_ci_lower{model,estimate,term,type}}, {@code dtm_model_ci_upper{…}}: the 95% interval
 * β ± t_{0.975, df} · SE with the t quantile of that type's degrees of freedom</li>
 * <li>{@code dtm_model_standardized_coefficient{model,estimate,term}}: β · sd(x̃) / sd(ỹ), within</li>
 * <li>{@code dtm_model_driver_rank{model,estimate,term}}: the model's ranking of the drivers by
 * |standardised coefficient|, 1 the largest</li>
 * <li>{@code dtm_model_r_squared{model,estimate}} (within), {@code dtm_model_observations{model,estimate}}</li>
 * <li>{@code dtm_model_stability_ratio{model}}: CUSUM max |W_r| / bound_r; above 1 the coefficients are not stable</li>
 * <li>{@code dtm_model_shift_p_value{model,term}}: driver-shift test of the rolling window against the years before
 * it, wild cluster bootstrap p-value per term and {@code term="joint"}; absent (no sample) when not computed</li>
 * </ul>
 * Nothing that was not computed is exported: a series is registered when its value appears and removed when it
 * disappears, so that a not-identified estimate exports its observations only (no R², coefficient or p-value), a
 * dropped term has no series, and the stability ratio is absent while the CUSUM cannot be computed. Never 0 or NaN
 * in place of a value. A model is exported by the instance whose task owns it. The estimates by window end year
 * are exported by {@link #windows()}.
 */
public final class ModelGauges {

    private static final String STD_ERROR = "Standard error of a model term";
    private static final String P_VALUE = "Two-sided p-value of a model term (Student t on the type's degrees of "
            + "freedom)";
    private static final String CI_LOWER = "Lower bound of the 95% interval of a model term: coefficient − "
            + "t(0.975, df of the type) · standard error";
    private static final String CI_UPPER = "Upper bound of the 95% interval of a model term: coefficient + "
            + "t(0.975, df of the type) · standard error";
    private static final String STABILITY = "CUSUM max |W_r| / 5% bound; above 1 the coefficients are not stable";

    private final MeterRegistry registry;
    private final Map<String, Holder> gauges = new ConcurrentHashMap<>();
    private final ModelWindowGauges windows;

    public ModelGauges(MeterRegistry registry) {
        this.registry = registry;
        this.windows = new ModelWindowGauges(registry);
    }

    /** The gauges of the estimates by window end year, on the same registry. */
    public ModelWindowGauges windows() {
        return windows;
    }

    /**
     * Exports one estimate of a snapshot: its observations always; its R², and per term the coefficient, standard
     * errors, p-values, intervals, standardised coefficient and rank, when computed. Series of this estimate that
     * the snapshot no longer has (a term dropped, an estimate no longer identified) are removed.
     */
    public void estimate(String model, ModelSnapshot.Estimate e) {
        Set<String> kept = new HashSet<>();
        Tags fit = Tags.of("model", model, "estimate", e.estimate());
        kept.add(set(model, e.estimate(), "dtm.model.observations", "Rows (N) in a model estimate", fit,
                e.observations()));
        if (e.rSquared() != null) {
            kept.add(set(model, e.estimate(), "dtm.model.r.squared", "Within R² of a model estimate", fit,
                    e.rSquared()));
        }
        List<String> ranking = e.ranking() == null ? List.of() : e.ranking();
        for (ModelSnapshot.Term t : e.terms() == null ? List.<ModelSnapshot.Term>of() : e.terms()) {
            Tags tags = fit.and("term", t.term());
            kept.add(set(model, e.estimate(), "dtm.model.coefficient", "Coefficient of a model term", tags,
                    t.coefficient()));
            kept.add(set(model, e.estimate(), "dtm.model.standardized.coefficient",
                    "Standardised coefficient of a model term: coefficient · sd(x) / sd(y), within entities", tags,
                    t.standardised()));
            int rank = ranking.indexOf(t.term());
            if (rank >= 0) {
                kept.add(set(model, e.estimate(), "dtm.model.driver.rank",
                        "Rank of a term among the drivers by |standardised coefficient|, 1 the largest", tags,
                        rank + 1));
            }
            inference(model, e.estimate(), tags.and("type", "classical"), t.classical(), kept);
            inference(model, e.estimate(), tags.and("type", "clustered"), t.clustered(), kept);
        }
        remove(h -> h.model.equals(model) && e.estimate().equals(h.estimate) && !kept.contains(h.key));
    }

    private void inference(String model, String estimate, Tags tags, ModelSnapshot.Inference i, Set<String> kept) {
        kept.add(set(model, estimate, "dtm.model.std.error", STD_ERROR, tags, i.standardError()));
        kept.add(set(model, estimate, "dtm.model.p.value", P_VALUE, tags, i.p()));
        kept.add(set(model, estimate, "dtm.model.ci.lower", CI_LOWER, tags, i.lower95()));
        kept.add(set(model, estimate, "dtm.model.ci.upper", CI_UPPER, tags, i.upper95()));
    }

    /** The stability ratio of a model; {@code null} (not computed) removes it. */
    public void stability(String model, Double ratio) {
        Tags tags = Tags.of("model", model);
        if (ratio == null) {
            String key = key("dtm.model.stability.ratio", tags);
            remove(h -> h.key.equals(key));
        } else {
            set(model, null, "dtm.model.stability.ratio", STABILITY, tags, ratio);
        }
    }

    /**
     * The driver-shift p-values of a model, by term ({@code joint} for the joint test); the series of terms not in
     * {@code pValues} are removed, so a test that could not be computed has no sample rather than 0.
     */
    public void shift(String model, Map<String, Double> pValues) {
        String prefix = key(SHIFT, Tags.of("model", model, "term", ""));
        String models = prefix.substring(0, prefix.indexOf(",term=") + ",term=".length());
        remove(h -> h.key.startsWith(models) && !pValues.containsKey(termOf(h.key)));
        pValues.forEach((term, p) -> set(model, null, SHIFT, SHIFT_DESCRIPTION, Tags.of("model", model, "term", term),
                p));
    }

    private static final String SHIFT = "dtm.model.shift.p.value";
    private static final String SHIFT_DESCRIPTION = "Driver-shift test p-value (wild cluster bootstrap): the rolling "
            + "window's slope against the years before it";

    /** The term of a series key ({@code name{model=…,term=…,}}). */
    private static String termOf(String key) {
        int at = key.indexOf(",term=");
        return at < 0 ? "" : key.substring(at + 6, key.indexOf(',', at + 6));
    }

    /** Removes every series of a model, its windows' included. */
    public void clearModel(String model) {
        windows.clearModel(model);
        remove(h -> h.model.equals(model));
    }

    private String set(String model, String estimate, String name, String description, Tags tags, double value) {
        String key = key(name, tags);
        Holder holder = gauges.computeIfAbsent(key, k -> {
            Holder h = new Holder(k, model, estimate);
            h.gauge = Gauge.builder(name, h, x -> x.value).description(description).tags(tags).register(registry);
            return h;
        });
        holder.value = value;
        return key;
    }

    private void remove(Predicate<Holder> which) {
        for (Iterator<Holder> it = gauges.values().iterator(); it.hasNext();) {
            Holder h = it.next();
            if (which.test(h)) {
                registry.remove(h.gauge);
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
        final String key;
        final String model;
        final String estimate;
        volatile double value;
        Gauge gauge;

        Holder(String key, String model, String estimate) {
            this.key = key;
            this.model = Objects.requireNonNull(model);
            this.estimate = estimate;
        }
    }
}
