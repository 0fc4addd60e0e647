package io.dtm.streams;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * How the service's own Kafka clients (the HTTP ingest producer, topic creation, the catalogue back-fill, the
 * views of rules and subscriptions, the notification lanes) connect: {@code kafka.bootstrap.servers} and the
 * security settings {@code kafka.<client property>} of {@link #SECURITY}, the same ones that application.properties
 * hands to Kafka Streams as {@code kafka-streams.<client property>}, so that a secured cluster needs its
 * credentials given once (as {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM},
 * {@code KAFKA_SASL_JAAS_CONFIG} …).
 */
public final class KafkaConnection {

    /** The client properties of a secured connection, read as {@code kafka.<property>}. */
    static final List<String> SECURITY = List.of(
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.type",
            "ssl.truststore.location",
            "ssl.truststore.password");

    private final Map<String, Object> settings;

    private KafkaConnection(Map<String, Object> settings) {
        this.settings = Collections.unmodifiableMap(settings);
    }

    /** A plain connection to {@code bootstrapServers}. */
    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(Map.of("bootstrap.servers", bootstrapServers));
    }

    /**
     * A connection to {@code bootstrapServers} with client settings such as {@code security.protocol},
     * {@code sasl.mechanism} and {@code sasl.jaas.config} (a test's or a tool's own principal).
     */
    public static KafkaConnection of(String bootstrapServers, Map<String, ?> settings) {
        Map<String, Object> all = new LinkedHashMap<>(settings);
        all.put("bootstrap.servers", bootstrapServers);
        return new KafkaConnection(all);
    }

    /** The connection of the configuration: {@code kafka.bootstrap.servers} and the security settings. */
    static KafkaConnection from(Config config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", config.getValue("kafka.bootstrap.servers", String.class));
        for (String property : SECURITY) {
            config.getOptionalValue("kafka." + property, String.class).filter(v -> !v.isBlank())
                    .ifPresent(v -> settings.put(property, v));
        }
        return new KafkaConnection(settings);
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
