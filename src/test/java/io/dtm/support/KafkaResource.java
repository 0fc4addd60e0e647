package io.dtm.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points the application under test at the shared real broker of {@link KafkaBroker}, with a Kafka Streams state
 * directory of its own (the broker is new in every test run, so old local state must not be reused) and an HTTP
 * port picked in advance, so that {@code application.server} names the port the service really listens on.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path stateDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-streams-state-");
            int httpPort = freePort();
            return Map.of("kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                    "kafka-streams.state.dir", stateDir.toString(),
                    "quarkus.http.test-port", Integer.toString(httpPort),
                    "quarkus.kafka-streams.application-server", "127.0.0.1:" + httpPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free port of 127.0.0.1, known before start so that interactive queries can advertise it. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        // the broker is shared by every test class and stops with the JVM
    }
}
