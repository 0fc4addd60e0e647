package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    @Test
    void shouldGiveEveryClientTheSecuritySettingsOfKafkaStreams() {
        KafkaConnection kafka = KafkaConnection.from(config(Map.of(
                "kafka.bootstrap.servers", "broker:9093",
                "quarkus.kafka-streams.security.protocol", "SASL_SSL",
                "quarkus.kafka-streams.sasl.mechanism", "SCRAM-SHA-512",
                "quarkus.kafka-streams.sasl.jaas-config", "org.apache.kafka.common.security.scram.ScramLoginModule "
                        + "required username=\"dtm\" password=\"secret\";",
                "quarkus.kafka-streams.ssl.endpoint-identification-algorithm", "https")));
        Map<String, Object> client = kafka.with("acks", "all");
        assertEquals("broker:9093", client.get("bootstrap.servers"));
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
        assertEquals("https", client.get("ssl.endpoint.identification.algorithm"));
        assertEquals("all", client.get("acks"));
        assertFalse(kafka.toString().contains("secret"), "no credentials in logs: " + kafka);
    }

    @Test
    void shouldPreferTheClientPropertyAndIgnoreBlankOnes() {
        KafkaConnection kafka = KafkaConnection.from(config(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "kafka.security.protocol", "SSL",
                "quarkus.kafka-streams.security.protocol", "SASL_SSL",
                "quarkus.kafka-streams.sasl.mechanism", " ")));
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SSL"), kafka.with());
    }
}
