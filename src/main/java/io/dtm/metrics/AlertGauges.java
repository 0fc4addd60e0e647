package io.dtm.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code dtm_alerts_firing{rule,severity}}: how many alerts (label sets) of a rule are firing on this instance;
 * registered at 0 for every rule, so that {@code sum by (rule)} over the instances means the firing count.
 */
public final class AlertGauges {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> firing = new ConcurrentHashMap<>();

    public AlertGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the rule's gauge at 0. */
    public void register(String rule, String severity) {
        counter(rule, severity);
    }

    /** Removes the rule's gauges (the rule was deleted). */
    public void remove(String rule) {
        firing.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(rule + "|")) {
                return false;
            }
            registry.find("dtm.alerts.firing").tag("rule", rule).gauges().forEach(registry::remove);
            return true;
        });
    }

    /** Adds {@code delta} (±1) to the rule's firing count. */
    public void adjust(String rule, String severity, int delta) {
        counter(rule, severity).addAndGet(delta);
    }

    private AtomicInteger counter(String rule, String severity) {
        return firing.computeIfAbsent(rule + "|" + severity, k -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("dtm.alerts.firing", count, AtomicInteger::get)
                    .description("Alerts firing, by rule").tags("rule", rule, "severity", severity)
                    .register(registry);
            return count;
        });
    }
}
