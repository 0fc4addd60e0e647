package io.dtm.streams;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * How the service's own Kafka clients (the HTTP ingest producer, topic creation, the catalogue back-fill, the
 * views of rules and subscriptions, the notification lanes) connect: the bootstrap servers and the security
 * settings, taken from the same configuration as Kafka Streams' ({@code quarkus.kafka-streams.security.protocol},
 * {@code …sasl.mechanism}, {@code …sasl.jaas-config}, {@code …ssl.*}), or from {@code kafka.<client property>},
 * so that a secured cluster needs its credentials given once.
 */
public final class KafkaConnection {

    /** Client property → the Quarkus Kafka Streams property that carries it. */
    private static final Map<String, String> SECURITY = Map.ofEntries(
            Map.entry("security.protocol", "security.protocol"),
            Map.entry("sasl.mechanism", "sasl.mechanism"),
            Map.entry("sasl.jaas.config", "sasl.jaas-config"),
            Map.entry("ssl.truststore.location", "ssl.truststore.location"),
            Map.entry("ssl.truststore.password", "ssl.truststore.password"),
            Map.entry("ssl.truststore.type", "ssl.truststore.type"),
            Map.entry("ssl.keystore.location", "ssl.keystore.location"),
            Map.entry("ssl.keystore.password", "ssl.keystore.password"),
            Map.entry("ssl.keystore.type", "ssl.keystore.type"),
            Map.entry("ssl.key.password", "ssl.key.password"),
            Map.entry("ssl.endpoint.identification.algorithm", "ssl.endpoint-identification-algorithm"));

    private final Map<String, Object> settings;

    private KafkaConnection(Map<String, Object> settings) {
        this.settings = Collections.unmodifiableMap(settings);
    }

    /** A plain connection to {@code bootstrapServers}. */
    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** The connection of the configuration: {@code kafka.bootstrap.servers} and the security settings. */
    static KafkaConnection from(Config config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", config.getValue("kafka.bootstrap.servers", String.class));
        SECURITY.forEach((client, quarkus) -> first(config, "kafka." + client, "kafka-streams." + client,
                "quarkus.kafka-streams." + quarkus).ifPresent(v -> settings.put(client, v)));
        return new KafkaConnection(settings);
    }

    private static Optional<String> first(Config config, String... names) {
        for (String name : names) {
            Optional<String> value = config.getOptionalValue(name, String.class).filter(v -> !v.isBlank());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    public String bootstrapServers() {
        return (String) settings.get("bootstrap.servers");
    }

    /** The connection settings plus {@code clientSettings} (key, value, key, value …) of one client. */
    public Map<String, Object> with(Object... clientSettings) {
        Map<String, Object> all = new HashMap<>(settings);
        for (int i = 0; i + 1 < clientSettings.length; i += 2) {
            all.put((String) clientSettings[i], clientSettings[i + 1]);
        }
        return all;
    }

    /** The connection settings (without secrets' values) for logs. */
    @Override
    public String toString() {
        return bootstrapServers() + (settings.containsKey("security.protocol") ? " (" + settings.get(
                "security.protocol") + ")" : "");
    }

    /** The application's connection. */
    @jakarta.enterprise.context.Dependent
    static final class Configured {
        @Produces
        @Singleton
        KafkaConnection connection(Config config) {
            return from(config);
        }
    }
}
