package io.dtm.alerts;

import java.time.Duration;

/** Delivery settings for tests: short backoffs, a chosen number of retries and workers. */
record DeliverySettings(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration jitter,
        Duration timeout, Duration alertmanagerResend, int workers, String externalUrl)
        implements AlertsConfig.DeliveryConfig {

    /** Retries 200 ms apart (at most 500 ms), attempts timing out after {@code timeout}. */
    static DeliverySettings quick(int retries, Duration timeout, int workers) {
        return new DeliverySettings(retries, Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(20),
                timeout, Duration.ofMinutes(1), workers, "http://127.0.0.1:8080");
    }
}
