package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.support.KafkaBroker;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** The Kafka health checks answer within their bound whether the broker is there or not. */
class KafkaHealthIT {

    @Test
    void shouldReadDownWithinTheProbeBoundWhenNoBrokerAnswers() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        KafkaHealth health = new KafkaHealth(KafkaConnection.of("127.0.0.1:" + port), () -> State.RUNNING);
        try {
            for (int probe = 0; probe < 3; probe++) {
                long start = System.nanoTime();
                HealthCheckResponse response = health.broker();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(Status.DOWN, response.getStatus());
                assertTrue(String.valueOf(response.getData().orElseThrow().get("reason")).contains("did not answer"),
                        response.getData().toString());
                // the probe waits at most 0.9 s; the rest is margin for a loaded machine
                assertTrue(millis < 2_000, "probe " + probe + " took " + millis + " ms");
            }
            assertEquals(Status.UP, health.streams().getStatus(), "a broker away makes the service unready, not dead");
        } finally {
            health.close();
        }
    }

    @Test
    void shouldReadUpWithTheBrokerAndTheStreamsRunningAndDownWhileTheyAreNot() {
        AtomicReference<State> state = new AtomicReference<>(State.REBALANCING);
        KafkaHealth health = new KafkaHealth(KafkaConnection.of(KafkaBroker.bootstrapServers()), state::get);
        try {
            HealthCheckResponse up = health.broker();
            assertEquals(Status.UP, up.getStatus(), up.getData().toString());
            assertEquals(1L, up.getData().orElseThrow().get("nodes"));
            assertEquals("REBALANCING", up.getData().orElseThrow().get("streams"));
            state.set(State.CREATED);
            assertEquals(Status.DOWN, health.broker().getStatus(), "not processing yet: not ready");
            assertEquals(Status.UP, health.streams().getStatus(), "not failed either");
            state.set(State.ERROR);
            assertEquals(Status.DOWN, health.streams().getStatus());
            state.set(State.NOT_RUNNING);
            assertEquals(Status.DOWN, health.streams().getStatus(), "stopped while the service runs");
        } finally {
            health.close();
        }
        assertEquals(Status.UP, health.streams().getStatus(), "stopped because the service stops");
    }

    @Test
    void shouldAnswerUpForAnInstanceWithoutKafkaStreams() {
        KafkaHealth health = new KafkaHealth(KafkaConnection.of(KafkaBroker.bootstrapServers()), () -> null);
        try {
            assertEquals(Status.UP, health.broker().getStatus());
            assertEquals(Status.UP, health.streams().getStatus());
        } finally {
            health.close();
        }
    }
}
