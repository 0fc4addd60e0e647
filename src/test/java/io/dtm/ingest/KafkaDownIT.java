package io.dtm.ingest;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.tradeData;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dtm.events.Feed;
import io.dtm.support.Http;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no broker listening, a valid event is answered 503 with Retry-After, never lost silently. */
@QuarkusTest
@TestProfile(KafkaDownIT.NoBroker.class)
class KafkaDownIT {

    /** Points the service at a port of 127.0.0.1 where nothing listens. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + closedPort(),
                    "dtm.ingest.publish-timeout", "PT1S",
                    "dtm.ingest.retry-after-seconds", "7");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaIsUnavailable() {
        Http.postEvent(structured(Feed.TRADE, "urn:test:down", "d1",
                tradeData("AUS", "WLD", "EXPORT", "DDS", "2024", 1, "USD", "2025-01-01")))
                .statusCode(503)
                .header("Retry-After", "7")
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:kafka-unavailable"));
    }

    @Test
    void shouldStillAnswer400ToABadEventWhenKafkaIsUnavailable() {
        Http.postEvent("not json").statusCode(400).body("errors.reason[0]", equalTo("malformed"));
    }
}
