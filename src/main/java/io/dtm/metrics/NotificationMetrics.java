package io.dtm.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code dtm_notifications_total{channel,outcome}}: attempts to deliver alert notifications, registered at 0 for
 * every channel ({@code webhook}, {@code alertmanager}, {@code kafka}) and outcome: {@code delivered},
 * {@code failed} (an attempt that failed and is retried, or a re-send to Alertmanager that failed) and
 * {@code dead-lettered} (given up after the last retry, written to {@code dtm.notifications.dlq.v1}).
 */
public final class NotificationMetrics {

    public static final List<String> CHANNELS = List.of("webhook", "alertmanager", "kafka");
    public static final List<String> OUTCOMES = List.of("delivered", "failed", "dead-lettered");

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public NotificationMetrics(MeterRegistry registry) {
        for (String channel : CHANNELS) {
            for (String outcome : OUTCOMES) {
                counters.put(channel + "|" + outcome, Counter.builder("dtm.notifications")
                        .description("Alert notification attempts, by channel and outcome")
                        .tags("channel", channel, "outcome", outcome).register(registry));
            }
        }
    }

    public void count(String channel, String outcome) {
        Counter counter = counters.get(channel + "|" + outcome);
        if (counter == null) {
            throw new IllegalArgumentException("no notification counter for " + channel + ", " + outcome);
        }
        counter.increment();
    }
}
