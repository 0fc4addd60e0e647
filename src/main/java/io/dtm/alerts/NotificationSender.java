package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.streams.JsonSerde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One attempt to deliver one notification over its subscription's channel (retries are the caller's): a signed
 * Alertmanager-v4 webhook, a push to Alertmanager's {@code /api/v2/alerts}, or a copy of the
 * {@code dtm.alerts.v1} record on the subscriber's Kafka topic. Every attempt carries the idempotency key.
 */
final class NotificationSender {

    /** A failure that retrying cannot fix: the receiver refused the request, or the target is not allowed. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** A failure worth retrying: no answer, a timeout, 408, 425, 429 or 5xx. */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final Producer<String, byte[]> producer;
    private final TargetGuard guard;
    private final Duration timeout;
    private final String externalUrl;
    private final Duration firingLease;

    /**
     * @param firingLease how far ahead a firing alert pushed to Alertmanager ends unless it is sent again
     */
    NotificationSender(HttpClient http, Producer<String, byte[]> producer, TargetGuard guard, Duration timeout,
            String externalUrl, Duration firingLease) {
        this.http = http;
        this.producer = producer;
        this.guard = guard;
        this.timeout = timeout;
        this.externalUrl = externalUrl;
        this.firingLease = firingLease;
    }

    void send(Subscription s, AlertTransition t, String idempotencyKey) throws Exception {
        switch (s.channel()) {
            case "webhook" -> {
                byte[] body = JsonSerde.MAPPER.writeValueAsBytes(Notifications.webhookPayload(t, s.id(), idempotencyKey,
                        externalUrl));
                post(URI.create(s.target()), body, idempotencyKey, Notifications.signature(body, s.secret(),
                        Instant.now().getEpochSecond()));
            }
            case "alertmanager" -> post(alertmanagerAlerts(s.target()), JsonSerde.MAPPER.writeValueAsBytes(
                    Notifications.alertmanagerAlerts(t, externalUrl, Instant.now().plus(firingLease))),
                    idempotencyKey, null);
            case "kafka" -> {
                RecordHeaders headers = new RecordHeaders();
                headers.add(Notifications.IDEMPOTENCY_HEADER, idempotencyKey.getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(s.target(), null, t.key(), JsonSerde.MAPPER.writeValueAsBytes(t),
                        headers)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            default -> throw new Refused("channel " + s.channel() + " has no delivery");
        }
    }

    /** Alertmanager's alerts endpoint under a base URL (or the endpoint itself). */
    static URI alertmanagerAlerts(String target) {
        String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        return URI.create(base.endsWith("/api/v2/alerts") ? base : base + "/api/v2/alerts");
    }

    private void post(URI uri, byte[] body, String idempotencyKey, String signature) throws Exception {
        var refused = guard.check(uri); // again at delivery: the name may resolve elsewhere by now
        if (refused.isPresent()) {
            throw new Refused("target refused: " + refused.get());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "dtm-notifier")
                .header(Notifications.IDEMPOTENCY_HEADER, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(Notifications.SIGNATURE_HEADER, signature);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable(uri + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = uri + " answered " + status + ": " + abbreviate(response.body());
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            throw new Unavailable(detail);
        }
        throw new Refused(detail);
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
