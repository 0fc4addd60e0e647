package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.streams.JsonSerde;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One attempt to deliver one notification over its subscription's channel (retries are the caller's): a signed
 * Alertmanager-v4 webhook, a push to Alertmanager's {@code /api/v2/alerts}, or a copy of the
 * {@code dtm.alerts.v1} record on the subscriber's Kafka topic. Every attempt carries the idempotency key.
 * An HTTP target's host is resolved once per attempt by the {@link TargetGuard}, and the request goes to the
 * very address it checked (no second lookup a rebinding name could answer differently), with the original host
 * in {@code Host}, in the TLS server name and in the certificate check. Errors name the target redacted.
 */
final class NotificationSender {

    /** The most of a refusing answer's body kept for the error. */
    private static final int MAX_ANSWER_BYTES = 1024;

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

    private record Answer(int status, String body) {
    }

    private final HttpClient http;
    private final Context context;
    private final Producer<String, byte[]> producer;
    private final TargetGuard guard;
    private final Duration timeout;
    private final String externalUrl;
    private final Duration firingLease;

    /**
     * @param http        a Vert.x client that follows no redirect (one could lead past the guard) and verifies
     *                    host names
     * @param context     the Vert.x context every exchange runs on: one event loop, so that a response cannot end
     *                    before its handlers are set
     * @param firingLease how far ahead a firing alert pushed to Alertmanager ends unless it is sent again
     */
    NotificationSender(HttpClient http, Context context, Producer<String, byte[]> producer, TargetGuard guard,
            Duration timeout, String externalUrl, Duration firingLease) {
        this.http = http;
        this.context = context;
        this.producer = producer;
        this.guard = guard;
        this.timeout = timeout;
        this.externalUrl = externalUrl;
        this.firingLease = firingLease;
    }

    /**
     * Starts one attempt; what can be decided at once (a refused target, say) is thrown, the rest completes the
     * stage. Resolves the target's name: call it off the event loop.
     */
    CompletionStage<Void> send(Subscription s, AlertTransition t, String idempotencyKey) throws Exception {
        switch (s.channel()) {
            case "webhook" -> {
                byte[] body = JsonSerde.MAPPER.writeValueAsBytes(
                        Notifications.webhookPayload(t, s.id(), idempotencyKey, externalUrl));
                return post(URI.create(s.target()), body, idempotencyKey, Notifications.signature(body,
                        s.secret(), Instant.now().getEpochSecond()));
            }
            case "alertmanager" -> {
                return post(alertmanagerAlerts(s.target()), JsonSerde.MAPPER.writeValueAsBytes(
                        Notifications.alertmanagerAlerts(t, externalUrl, Instant.now().plus(firingLease))),
                        idempotencyKey, null);
            }
            case "kafka" -> {
                RecordHeaders headers = new RecordHeaders();
                headers.add(Notifications.IDEMPOTENCY_HEADER, idempotencyKey.getBytes(StandardCharsets.UTF_8));
                CompletableFuture<Void> written = new CompletableFuture<>();
                producer.send(new ProducerRecord<>(s.target(), null, t.key(), JsonSerde.MAPPER.writeValueAsBytes(t),
                        headers), (metadata, e) -> {
                            if (e == null) {
                                written.complete(null);
                            } else {
                                written.completeExceptionally(new Unavailable(s.target() + ": " + e.getMessage()));
                            }
                        });
                return written.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            default -> throw new Refused("channel " + s.channel() + " has no delivery");
        }
    }

    /** One attempt, waited for (the periodic re-send to Alertmanager). */
    void sendAndWait(Subscription s, AlertTransition t, String idempotencyKey) throws Exception {
        try {
            send(s, t, idempotencyKey).toCompletableFuture().get(timeout.toMillis() * 2 + 1000,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Alertmanager's alerts endpoint under a base URL (or the endpoint itself). */
    static URI alertmanagerAlerts(String target) {
        String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        return URI.create(base.endsWith("/api/v2/alerts") ? base : base + "/api/v2/alerts");
    }

    private CompletionStage<Void> post(URI uri, byte[] body, String idempotencyKey, String signature)
            throws Refused {
        String shown = UrlRedaction.redact(uri.toString());
        TargetGuard.Decision target = guard.decide(uri); // at every attempt: the name may resolve elsewhere by now
        if (target.refused().isPresent()) {
            throw new Refused("target refused: " + target.refused().get());
        }
        int port = TargetGuard.port(uri);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), port)))
                .setHost(TargetGuard.host(uri))
                .setPort(port)
                .setSsl("https".equalsIgnoreCase(uri.getScheme()))
                .setURI(path)
                .setFollowRedirects(false) // a redirect could lead past the guard
                .setConnectTimeout(timeout.toMillis())
                .setTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "dtm-notifier")
                .putHeader(Notifications.IDEMPOTENCY_HEADER, idempotencyKey);
        if (uri.getRawUserInfo() != null) { // credentials in the URL, sent as HTTP clients do
            request.putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
        }
        if (signature != null) {
            request.putHeader(Notifications.SIGNATURE_HEADER, signature);
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        context.runOnContext(v -> http.request(request)
                .compose(r -> r.send(Buffer.buffer(body)))
                .compose(NotificationSender::read)
                .onComplete(answer -> {
                    if (answer.failed()) {
                        Throwable cause = answer.cause();
                        outcome.completeExceptionally(new Unavailable(shown + ": " + cause.getClass().getSimpleName()
                                + (cause.getMessage() == null ? "" : " " + UrlRedaction.redactIn(cause.getMessage()))));
                        return;
                    }
                    int status = answer.result().status();
                    if (status >= 200 && status < 300) {
                        outcome.complete(null);
                        return;
                    }
                    String detail = shown + " answered " + status + ": " + abbreviate(answer.result().body());
                    outcome.completeExceptionally(status == 408 || status == 425 || status == 429 || status >= 500
                            ? new Unavailable(detail) : new Refused(detail));
                }));
        return outcome;
    }

    /** The status and at most {@link #MAX_ANSWER_BYTES} of the body (the rest is read and dropped). */
    private static io.vertx.core.Future<Answer> read(HttpClientResponse response) {
        Promise<Answer> answer = Promise.promise();
        Buffer kept = Buffer.buffer();
        response.handler(chunk -> {
            int room = MAX_ANSWER_BYTES - kept.length();
            if (room > 0) {
                kept.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
            }
        });
        response.exceptionHandler(answer::tryFail);
        response.endHandler(v -> answer.tryComplete(new Answer(response.statusCode(),
                kept.toString(StandardCharsets.UTF_8))));
        return answer.future();
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
