package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kafka security settings are given once ({@code kafka.*}, or the environment variables {@code KAFKA_*}) and
 * reach both Kafka Streams ({@code kafka-streams.*}, through application.properties) and the service's own clients
 * ({@link KafkaConnection}).
 */
class KafkaConnectionTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"dtm-ingest\" password=\"secret\";";

    /** application.properties under the given environment variables, as the service reads them. */
    private static SmallRyeConfig config(Map<String, String> environment) throws IOException {
        URL properties = KafkaConnectionTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
    }

    @Test
    void shouldGiveKafkaStreamsAndEveryOtherClientTheSecuritySettingsOfTheEnvironment() throws IOException {
        SmallRyeConfig config = config(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM"));

        Map<String, Object> client = KafkaConnection.from(config).with("acks", "all");
        assertEquals("broker:9092", client.get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", client.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
        assertEquals(JAAS, client.get("sasl.jaas.config"));
        assertEquals("PEM", client.get("ssl.truststore.type"));
        assertEquals("all", client.get("acks"));
        assertFalse(KafkaConnection.from(config).toString().contains("secret"), "no credentials in logs");

        for (String property : KafkaConnection.SECURITY) {
            assertEquals(config.getOptionalValue("kafka." + property, String.class),
                    config.getOptionalValue("kafka-streams." + property, String.class),
                    "Kafka Streams and the other clients take the same " + property);
        }
        assertEquals(JAAS, config.getValue("kafka-streams.sasl.jaas.config", String.class));
    }

    @Test
    void shouldConnectInPlaintextWithoutSecuritySettings() throws IOException {
        SmallRyeConfig config = config(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));

        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092"), KafkaConnection.from(config).with());
        for (String property : KafkaConnection.SECURITY) {
            assertTrue(config.getOptionalValue("kafka-streams." + property, String.class).isEmpty(),
                    "Kafka Streams gets no " + property);
        }
    }

    @Test
    void shouldIgnoreBlankSettings() throws IOException {
        SmallRyeConfig config = config(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SASL_MECHANISM", " "));

        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SSL"),
                KafkaConnection.from(config).with());
    }
}
