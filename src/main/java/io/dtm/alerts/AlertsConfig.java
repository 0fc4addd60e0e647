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

    /**
     * The keys that encrypt subscription secrets on {@code dtm.subscriptions.v1} (AES-256-GCM), each
     * {@code <id>:<base64 of 32 random bytes>} ({@code openssl rand -base64 32}); from a Secret, e.g. the
     * environment variable {@code DTM_ALERTS_SECRET_KEYS}. Secrets are never stored in clear: without a key the
     * alerts role refuses to start and other instances refuse subscriptions with a secret. Old keys stay listed
     * after a rotation so that the records they encrypted can still be read.
     */
    Optional<List<String>> secretKeys();

    /** The id of the key in {@link #secretKeys()} that encrypts new secrets; the first listed when absent. */
    Optional<String> secretKeyId();

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

        /**
         * Threads that prepare and start delivery attempts (name resolution, signing) for every subscription;
         * waits between retries and HTTP exchanges hold none, so a few serve many subscriptions.
         */
        @WithDefault("4")
        int workers();

        /** This service's URL as subscribers should see it ({@code externalURL}, {@code generatorURL}). */
        @WithDefault("http://127.0.0.1:8080")
        String externalUrl();
    }
}
