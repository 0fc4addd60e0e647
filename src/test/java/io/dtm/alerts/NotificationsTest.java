package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.AlertTransition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationsTest {

    private static AlertTransition transition(String status) {
        return new AlertTransition("china-dds-growth-low|trade-yoy-growth|CHN|WLD|EXPORT|DDS", "t-1",
                "china-dds-growth-low", "warning", "country", "China's DDS export growth below 3 %",
                Map.of("id", "trade-yoy-growth", "reporter", "CHN", "partner", "WLD", "flow", "EXPORT", "category",
                        "DDS"), "inactive", status, "2023", "2023", 2.5, 6.0, 1_700_000_000_000L, "urn:test",
                "dds-2023", "2024-03-01");
    }

    @Test
    void shouldBuildAnAlertmanagerVersion4PayloadWithTheProvenance() {
        Map<String, Object> payload = Notifications.webhookPayload(transition("firing"), "team", "key-1",
                "http://dtm:8080");
        assertEquals("4", payload.get("version"));
        assertEquals(0, payload.get("truncatedAlerts"));
        assertEquals("firing", payload.get("status"));
        for (String field : List.of("groupKey", "receiver", "groupLabels", "commonLabels", "commonAnnotations",
                "externalURL", "alerts")) {
            assertTrue(payload.containsKey(field), field);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> alert = ((List<Map<String, Object>>) payload.get("alerts")).get(0);
        for (String field : List.of("status", "labels", "annotations", "startsAt", "endsAt", "generatorURL",
                "fingerprint")) {
            assertTrue(alert.containsKey(field), field);
        }
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) alert.get("labels");
        assertEquals("china-dds-growth-low", labels.get("alertname"));
        assertEquals("CHN", labels.get("reporter"));
        @SuppressWarnings("unchecked")
        Map<String, Object> dtm = (Map<String, Object>) payload.get("dtm");
        assertEquals(6.0, dtm.get("previousValue"));
        assertEquals(Map.of("source", "urn:test", "id", "dds-2023", "vintage", "2024-03-01"), dtm.get("event"));
        assertEquals("t-1", dtm.get("transition"));
        assertEquals("key-1", dtm.get("idempotencyKey"), "the signed body carries the idempotency key");
        assertEquals("0001-01-01T00:00:00Z", alert.get("endsAt"));
        Map<String, Object> resolved = Notifications.webhookPayload(transition("resolved"), "team", "key-2",
                "http://dtm:8080");
        assertEquals("resolved", resolved.get("status"));
    }

    @Test
    void shouldSignWithHmacSha256OverTimestampAndBody() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = Notifications.signature(body, "s3cret", 1_700_000_000L);
        // HMAC-SHA256("s3cret", "1700000000.{\"a\":1}"), computed independently
        assertEquals("t=1700000000,v1=" + HmacReference.hex("s3cret", "1700000000.{\"a\":1}"), header);
        Instant then = Instant.ofEpochSecond(1_700_000_010L);
        Duration tolerance = Notifications.DEFAULT_TOLERANCE;
        assertTrue(Notifications.verify(header, body, "s3cret", then, tolerance));
        assertFalse(Notifications.verify(header, body, "other", then, tolerance));
        assertFalse(Notifications.verify(header, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), "s3cret", then,
                tolerance));
        assertFalse(Notifications.verify("garbage", body, "s3cret", then, tolerance));
    }

    @Test
    void shouldRefuseASignatureWhoseTimestampIsOutsideTheTolerance() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        long signedAt = 1_700_000_000L;
        String header = Notifications.signature(body, "s3cret", signedAt);
        assertTrue(Notifications.verify(header, body, "s3cret", Instant.ofEpochSecond(signedAt + 300),
                Duration.ofSeconds(300)));
        assertFalse(Notifications.verify(header, body, "s3cret", Instant.ofEpochSecond(signedAt + 301),
                Duration.ofSeconds(300)), "a captured delivery replayed later");
        assertFalse(Notifications.verify(header, body, "s3cret", Instant.ofEpochSecond(signedAt - 301),
                Duration.ofSeconds(300)), "a timestamp from the future");
        assertTrue(Notifications.verify(header, body, "s3cret", Instant.ofEpochSecond(signedAt + 3000),
                Duration.ofHours(1)), "the tolerance is a parameter");
        assertFalse(Notifications.verify(header, body, "s3cret"), "the default tolerance is against the clock");
        String fresh = Notifications.signature(body, "s3cret", Instant.now().getEpochSecond());
        assertTrue(Notifications.verify(fresh, body, "s3cret"));
    }

    @Test
    void shouldKeepOneIdempotencyKeyPerTransitionAndSubscription() {
        AlertTransition t = transition("firing");
        assertEquals(Notifications.idempotencyKey(t, "sub-a"), Notifications.idempotencyKey(t, "sub-a"));
        assertNotEquals(Notifications.idempotencyKey(t, "sub-a"), Notifications.idempotencyKey(t, "sub-b"));
    }

    /** An HMAC computed with the JDK's Mac over the whole message, as a receiver would. */
    static final class HmacReference {
        static String hex(String secret, String message) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
