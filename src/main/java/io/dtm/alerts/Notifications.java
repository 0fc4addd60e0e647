package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a subscriber receives for one alert transition (DESIGN §7): an Alertmanager webhook payload (version 4)
 * plus a {@code dtm} block with the provenance, its idempotency key and its signature. Pure: no I/O.
 */
public final class Notifications {

    /** The signature header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}. */
    public static final String SIGNATURE_HEADER = "X-DTM-Signature";
    /** The idempotency header: the same for every delivery attempt of one notification. */
    public static final String IDEMPOTENCY_HEADER = "X-DTM-Idempotency-Key";
    /** How far a signature's timestamp may be from the receiver's clock by default: older ones are replays. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private Notifications() {
    }

    /** The key of the notification of {@code transition} to {@code subscription}: stable across retries. */
    public static String idempotencyKey(AlertTransition transition, String subscription) {
        return UUID.nameUUIDFromBytes((transition.id() + "|" + subscription).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * The Alertmanager webhook payload (version 4) of one transition, with {@code truncatedAlerts} 0 and a
     * {@code dtm} block carrying the provenance, the transition id and the idempotency key, so that the signature
     * covers both (a receiver can trust the key it deduplicates by).
     *
     * @param idempotencyKey the notification's key, as in {@link #IDEMPOTENCY_HEADER}
     * @param externalUrl    the service's base URL, for {@code externalURL} and {@code generatorURL}
     */
    public static Map<String, Object> webhookPayload(AlertTransition t, String receiver, String idempotencyKey,
            String externalUrl) {
        Map<String, String> labels = labels(t);
        boolean resolved = t.status().equals("resolved");
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("status", resolved ? "resolved" : "firing");
        alert.putAll(alert(t, labels, externalUrl, "0001-01-01T00:00:00Z"));
        alert.put("fingerprint", fingerprint(labels));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("version", "4");
        payload.put("groupKey", "{}:{rule=\"" + t.rule() + "\"}");
        payload.put("truncatedAlerts", 0);
        payload.put("status", alert.get("status"));
        payload.put("receiver", receiver);
        payload.put("groupLabels", Map.of("rule", t.rule()));
        payload.put("commonLabels", labels);
        payload.put("commonAnnotations", annotations(t));
        payload.put("externalURL", externalUrl);
        payload.put("alerts", List.of(alert));
        Map<String, Object> dtm = new LinkedHashMap<>();
        dtm.put("transition", t.id());
        dtm.put("idempotencyKey", idempotencyKey);
        dtm.put("from", t.from());
        dtm.put("to", t.status());
        dtm.put("value", t.value());
        dtm.put("previousValue", t.previousValue());
        dtm.put("period", t.period());
        dtm.put("since", t.since());
        dtm.put("event", Map.of("source", String.valueOf(t.source()), "id", String.valueOf(t.eventId()),
                "vintage", String.valueOf(t.vintage())));
        payload.put("dtm", dtm);
        return payload;
    }

    /**
     * The body of Alertmanager's {@code POST /api/v2/alerts} for one transition: a firing alert ends at
     * {@code endsAt} unless it is sent again before, a resolved one ends when it was resolved.
     */
    public static List<Map<String, Object>> alertmanagerAlerts(AlertTransition t, String externalUrl,
            Instant firingEndsAt) {
        return List.of(alert(t, labels(t), externalUrl, firingEndsAt.toString()));
    }

    /** The alert as Alertmanager shapes it; a firing one ends at {@code firingEndsAt}, a resolved one when it was. */
    private static Map<String, Object> alert(AlertTransition t, Map<String, String> labels, String externalUrl,
            String firingEndsAt) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", annotations(t));
        alert.put("startsAt", Instant.ofEpochMilli(startsAt(t)).toString());
        alert.put("endsAt", t.status().equals("resolved") ? Instant.ofEpochMilli(t.at()).toString() : firingEndsAt);
        alert.put("generatorURL", externalUrl + "/api/v1/alerts?rule=" + t.rule());
        return alert;
    }

    /** The alert's labels: {@code alertname}, {@code rule}, {@code severity}, {@code scope} and the rule's labels. */
    public static Map<String, String> labels(AlertTransition t) {
        Map<String, String> labels = new TreeMap<>();
        t.labels().forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                labels.put(k, v);
            }
        });
        labels.put("alertname", t.rule());
        labels.put("rule", t.rule());
        labels.put("severity", t.severity());
        if (t.scope() != null) {
            labels.put("scope", t.scope());
        }
        return labels;
    }

    private static Map<String, String> annotations(AlertTransition t) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", t.description() == null ? t.rule() : t.description());
        annotations.put("value", Double.toString(t.value()));
        if (t.period() != null) {
            annotations.put("period", t.period());
        }
        return annotations;
    }

    private static long startsAt(AlertTransition t) {
        try {
            return Long.parseLong(t.since());
        } catch (NumberFormatException | NullPointerException e) {
            return t.at();
        }
    }

    /** A stable fingerprint of a label set (hex of the first 8 bytes of its SHA-256). */
    static String fingerprint(Map<String, String> labels) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(new TreeMap<>(labels).toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code X-DTM-Signature} value of {@code body} signed with {@code secret} at {@code unixSeconds}. */
    public static String signature(byte[] body, String secret, long unixSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a received signature is valid for {@code body} and {@code secret} (constant-time comparison) and was
     * made within {@link #DEFAULT_TOLERANCE} of now.
     */
    public static boolean verify(String header, byte[] body, String secret) {
        return verify(header, body, secret, Instant.now(), DEFAULT_TOLERANCE);
    }

    /**
     * Whether a received signature is valid for {@code body} and {@code secret} (constant-time comparison) and its
     * timestamp is within {@code tolerance} of {@code now}, either way: a delivery captured and sent again later
     * is refused.
     */
    public static boolean verify(String header, byte[] body, String secret, Instant now, Duration tolerance) {
        if (header == null || !header.startsWith("t=") || !header.contains(",v1=")) {
            return false;
        }
        long t;
        try {
            t = Long.parseLong(header.substring(2, header.indexOf(',')));
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(signature(body, secret, t).getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }
}
