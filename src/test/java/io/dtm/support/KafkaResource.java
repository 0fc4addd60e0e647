package io.dtm.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points the application under test at the shared real broker of {@link KafkaBroker}, with a Kafka Streams state
 * directory of its own (the broker is new in every test run, so old local state must not be reused).
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path stateDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-streams-state-");
            return Map.of("kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                    "kafka-streams.state.dir", stateDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // the broker is shared by every test class and stops with the JVM
    }
}
