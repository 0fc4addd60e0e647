package io.dtm.alerts;

import io.dtm.metrics.AlertGauges;
import io.dtm.streams.CompactedTopicView;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The alert rules, kept in the compacted topic {@code dtm.alert-rules.v1} (the system of record) and read back
 * into memory on every alerts instance. The default rules of {@code dtm.alerts.rules} are written once, when the
 * topic has never held a rule. A record that is not a valid rule is left out and dead-lettered. Registers
 * {@code dtm_alerts_firing{rule,severity}} at 0 for every rule.
 */
@ApplicationScoped
public class AlertRuleBook {

    private static final Logger LOG = Logger.getLogger(AlertRuleBook.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

    private final AlertsConfig config;
    private final DtmConfig dtm;
    private final AlertGauges gauges;
    private final CompactedTopicView<AlertRule> view;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile Map<String, AlertRule> byId = Map.of();
    private Thread seeder;

    AlertRuleBook(AlertsConfig config, DtmConfig dtm, MeterRegistry registry,
            KafkaConnection kafka, DeadLetters deadLetters) {
        this.config = config;
        this.dtm = dtm;
        this.gauges = new AlertGauges(registry);
        this.view = new CompactedTopicView<>(Topics.ALERT_RULES.name(), AlertRule.class, kafka,
                this::apply, deadLetters);
    }

    void onStart(@Observes StartupEvent event) {
        if (!dtm.runs(Role.ALERTS)) {
            return;
        }
        AlertRules defaults = AlertRules.load(config.rules()); // fails the start when the defaults are invalid
        view.start();
        seeder = new Thread(() -> seed(defaults), "dtm-alert-rules-loader");
        seeder.setDaemon(true);
        seeder.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (seeder != null) {
            seeder.interrupt();
        }
        view.stop();
    }

    private void seed(AlertRules defaults) {
        try {
            while (!view.awaitCaughtUp(Duration.ofSeconds(10))) {
                LOG.infof("waiting for %s", Topics.ALERT_RULES.name());
            }
            if (!view.everWritten()) {
                for (AlertRule rule : defaults.byId().values()) {
                    view.put(rule.id(), rule);
                }
                LOG.infof("wrote the %d default alert rules to %s", defaults.byId().size(),
                        Topics.ALERT_RULES.name());
            }
            loaded.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.errorf(e, "cannot write the default alert rules to %s", Topics.ALERT_RULES.name());
            loaded.countDown();
        }
    }

    private synchronized void apply(String id, AlertRule rule) {
        Map<String, AlertRule> next = new TreeMap<>(byId);
        if (rule == null) {
            next.remove(id);
            gauges.remove(id);
        } else if (!id.equals(rule.id()) || !rule.problems().isEmpty()) {
            throw new IllegalArgumentException("not a valid rule: " + (id.equals(rule.id()) ? rule.problems()
                    : "its id is " + rule.id()));
        } else {
            next.put(id, rule);
            gauges.register(id, rule.severity());
        }
        byId = Collections.unmodifiableMap(next);
    }

    /** The rules as last seen (sorted by id). */
    public Map<String, AlertRule> byId() {
        return byId;
    }

    /**
     * The rules once they are loaded (and the defaults written where needed): what the stream evaluates, so that
     * no input is evaluated against an empty rule set after a restart. Waits at most a minute.
     */
    public Map<String, AlertRule> loaded() {
        try {
            if (!loaded.await(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("alert rules not loaded from %s after %s; evaluating with %d rule(s)",
                        Topics.ALERT_RULES.name(), LOAD_TIMEOUT, byId.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return byId;
    }

    /** Whether the rules are loaded (and the defaults written where needed). */
    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    public Optional<AlertRule> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Writes a validated rule (or, with {@code null}, deletes it) and waits for Kafka's acknowledgement. */
    public void put(String id, AlertRule rule) throws Exception {
        view.put(id, rule);
    }

    /** The gauges of the firing alerts, kept by the stream as alerts fire and resolve. */
    public AlertGauges gauges() {
        return gauges;
    }
}
