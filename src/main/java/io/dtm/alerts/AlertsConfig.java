package io.dtm.alerts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the {@code alerts} role: its default rules, the targets it may call and how it delivers. */
@ConfigMapping(prefix = "dtm.alerts")
public interface AlertsConfig {

    /**
     * The default alert rules ({@code classpath:<resource>} or a file path), written to {@code dtm.alert-rules.v1}
     * when that topic has never held a rule; after that the topic is the system of record.
     */
    @WithDefault("classpath:alert-rules.yaml")
    String rules();

    /** Hosts or addresses notification targets may use although they are loopback or private. */
    Optional<List<String>> targetAllowList();

    /** The most alert rules; creating one more is refused with 409 (replacing one is not). */
    @WithDefault("1000")
    int maxRules();

    /** The most subscriptions; creating one more is refused with 409 (replacing one is not). */
    @WithDefault("1000")
    int maxSubscriptions();

    /**
     * The prefix of every topic a Kafka-channel subscription may copy alerts to; topics of Kafka ({@code __*}), of
     * the service ({@code dtm.*}) and internal to it are refused whatever the prefix.
     */
    @WithDefault("dtm-notify.")
    String kafkaTopicPrefix();

    /** Delivery of notifications to subscribers. */
    DeliveryConfig delivery();

    /** Retries, timeouts and re-sending of notifications. */
    interface DeliveryConfig {

        /** Retries after a failed first attempt; after the last one the notification is dead-lettered. */
        @WithDefault("8")
        int maxRetries();

        /** Delay before the first retry; each further retry waits twice as long, up to {@link #maxBackoff()}. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        /** The longest wait between two attempts. */
        @WithDefault("PT1M")
        Duration maxBackoff();

        /** Random jitter added to or taken from every wait, so that retries of many notifications spread out. */
        @WithDefault("PT0.2S")
        Duration jitter();

        /** Timeout of one attempt (connect and answer). */
        @WithDefault("PT10S")
        Duration timeout();

        /**
         * How often alerts that are still firing are pushed again to Alertmanager subscriptions, with
         * {@code endsAt} four intervals ahead, so that Alertmanager does not resolve them on its own.
         */
        @WithDefault("PT1M")
        Duration alertmanagerResend();

        /** This service's URL as subscribers should see it ({@code externalURL}, {@code generatorURL}). */
        @WithDefault("http://127.0.0.1:8080")
        String externalUrl();
    }
}
