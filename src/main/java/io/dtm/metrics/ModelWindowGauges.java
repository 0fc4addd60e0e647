package io.dtm.metrics;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;

/**
 * Exports the drivers models' rolling estimates by window end year (the board draws each driver's coefficient by
 * year with its band), at full double precision:
 * <ul>
 * <li>{@code dtm_model_window_coefficient{model,term,window_end}}</li>
 * <li>{@code dtm_model_window_ci_lower{model,term,window_end,type}}, {@code dtm_model_window_ci_upper{…}}: the 95%
 * interval β ± t_{0.975, df} · SE, {@code type} {@code classical} (t on N − E − K) or {@code clustered} (CR1 by
 * entity, t on G − 1), as {@code dtm_model_ci_lower}/{@code dtm_model_ci_upper}</li>
 * </ul>
 * {@code window_end} is the window's last year. Bounded: one series per term, window end year and statistic, the
 * window end years being at most {@code dtm.model.max-windows} per model. Only what was computed is exported: a
 * window that is not identified, or a term dropped from it, has no series (never 0 or NaN), and the series of a
 * window that goes are removed. A model is exported by the instance whose task owns it; thread-safe.
 */
public final class ModelWindowGauges {

    private static final String COEFFICIENT = "Coefficient of a model term in the rolling window ending in "
            + "window_end";
    private static final String CI_LOWER = "Lower bound of the 95% interval of a model term in the rolling window "
            + "ending in window_end: coefficient − t(0.975, df of the type) · standard error";
    private static final String CI_UPPER = "Upper bound of the 95% interval of a model term in the rolling window "
            + "ending in window_end: coefficient + t(0.975, df of the type) · standard error";

    private final MeterRegistry registry;
    /** Per model, per window end year, the window's series by key (name and tags). */
    private final Map<String, Map<Integer, Map<String, Holder>>> series = new HashMap<>();

    public ModelWindowGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Exports one window's estimate: per term its coefficient and both types' interval bounds, when computed. The
     * window's series that it no longer has (a term dropped, the window no longer identified) are removed.
     */
    public synchronized void window(String model, ModelWindow window) {
        Map<String, Holder> before = series.computeIfAbsent(model, m -> new HashMap<>())
                .getOrDefault(window.windowEnd(), Map.of());
        Map<String, Holder> after = new HashMap<>();
        String end = Integer.toString(window.windowEnd());
        if (window.terms() != null) {
            for (ModelWindow.Term t : window.terms()) {
                Tags tags = Tags.of("model", model, "term", t.term(), "window_end", end);
                set(before, after, "dtm.model.window.coefficient", COEFFICIENT, tags, t.coefficient());
                interval(before, after, tags.and("type", "classical"), t.classical());
                interval(before, after, tags.and("type", "clustered"), t.clustered());
            }
        }
        before.forEach((key, holder) -> {
            if (!after.containsKey(key)) {
                registry.remove(holder.gauge);
            }
        });
        if (after.isEmpty()) {
            series.get(model).remove(window.windowEnd());
        } else {
            series.get(model).put(window.windowEnd(), after);
        }
    }

    /** Removes the series of the window of {@code model} ending in {@code windowEnd} (a window that went). */
    public synchronized void remove(String model, int windowEnd) {
        Map<Integer, Map<String, Holder>> windows = series.get(model);
        Map<String, Holder> gone = windows == null ? null : windows.remove(windowEnd);
        if (gone != null) {
            gone.values().forEach(h -> registry.remove(h.gauge));
        }
    }

    /** Removes every window series of {@code model}. */
    public synchronized void clearModel(String model) {
        Map<Integer, Map<String, Holder>> windows = series.remove(model);
        if (windows != null) {
            windows.values().forEach(w -> w.values().forEach(h -> registry.remove(h.gauge)));
        }
    }

    private void interval(Map<String, Holder> before, Map<String, Holder> after, Tags tags,
            ModelSnapshot.Inference i) {
        set(before, after, "dtm.model.window.ci.lower", CI_LOWER, tags, i.lower95());
        set(before, after, "dtm.model.window.ci.upper", CI_UPPER, tags, i.upper95());
    }

    private void set(Map<String, Holder> before, Map<String, Holder> after, String name, String description,
            Tags tags, double value) {
        StringBuilder key = new StringBuilder(name).append('{');
        tags.forEach(t -> key.append(t.getKey()).append('=').append(t.getValue()).append(','));
        Holder holder = before.get(key.toString());
        if (holder == null) {
            Holder h = new Holder();
            h.value = value;
            h.gauge = Gauge.builder(name, h, x -> x.value).description(description).tags(tags).register(registry);
            holder = h;
        }
        holder.value = value;
        after.put(key.toString(), holder);
    }

    private static final class Holder {
        volatile double value;
        Gauge gauge;
    }
}
