package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.dtm.events.AlertTransition;
import io.dtm.support.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender connects to the address the guard checked, with one lookup per attempt through a fake resolver
 * (names under {@code .test} that no DNS answers), the original host in {@code Host} and, over TLS, the
 * certificate checked against the original host name.
 */
class NotificationSenderTest {

    private static final String SECRET = "sender-test-secret-0123456789";
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static AlertTransition transition() {
        return new AlertTransition("r|CHN", "t-1", "r", "warning", "country", "a rule", Map.of("reporter", "CHN"),
                "pending", "firing", "2024", "2024", 1.0, 5.0, System.currentTimeMillis(), "urn:s", "e-1",
                "2025-01-01");
    }

    /** Resolves every name to loopback and counts the lookups. */
    private static TargetGuard loopbackGuard(AtomicInteger lookups) {
        return new TargetGuard(List.of("127.0.0.1"), host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        });
    }

    private static NotificationSender sender(HttpClient http, TargetGuard guard) {
        return new NotificationSender(http, vertx.getOrCreateContext(), null, guard, Duration.ofSeconds(5),
                "http://127.0.0.1:8080", Duration.ofMinutes(4));
    }

    @Test
    void shouldSendToTheCheckedAddressWithTheOriginalHostAndOneLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            int port = URI.create(receiver.url()).getPort();
            Subscription s = new Subscription("pinned", "webhook", "http://bot:pa%20ss@receiver.test:" + port
                    + "/hook?token=t0k", List.of(), Map.of(), SECRET, 0L);
            NotificationSender sender = sender(vertx.createHttpClient(), loopbackGuard(lookups));
            sender.send(s, transition(), "key-1").toCompletableFuture().get(10, TimeUnit.SECONDS);
            WebhookReceiver.Request request = receiver.await(r -> true, 1, Duration.ofSeconds(5)).get(0);
            assertEquals(1, lookups.get(), "one lookup, and the request went to its answer");
            assertEquals("receiver.test:" + port, request.header("Host"));
            assertEquals("/hook", request.path());
            assertEquals("Basic " + Base64.getEncoder().encodeToString("bot:pa ss".getBytes(StandardCharsets.UTF_8)),
                    request.header("Authorization"));
            assertTrue(Notifications.verify(request.header(Notifications.SIGNATURE_HEADER),
                    request.body().getBytes(StandardCharsets.UTF_8), SECRET));
        }
    }

    @Test
    void shouldRefuseATargetThatNowResolvesToAForbiddenAddressWithoutConnecting() {
        TargetGuard guard = new TargetGuard(List.of(), host -> {
            throw new UnknownHostException(host);
        });
        Subscription s = new Subscription("gone", "webhook", "http://gone.test/hook", List.of(), Map.of(), SECRET, 0L);
        assertThrows(NotificationSender.Refused.class, () -> sender(vertx.createHttpClient(), guard)
                .send(s, transition(), "key-2"));
        TargetGuard rebound = new TargetGuard(List.of(), host -> new InetAddress[] {
            InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1})});
        assertThrows(NotificationSender.Refused.class, () -> sender(vertx.createHttpClient(), rebound)
                .send(s, transition(), "key-2"));
    }

    @Test
    void shouldVerifyTheCertificateAgainstTheOriginalHostName(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("receiver.p12");
        Path pem = dir.resolve("receiver.pem");
        keytool("-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=receiver.test", "-ext", "SAN=dns:receiver.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "receiver", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", pem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger received = new AtomicInteger();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            AlertsConfig.DeliveryConfig config = new DeliverySettings(0, Duration.ofMillis(100),
                    Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(1), 1,
                    "http://127.0.0.1:8080");
            HttpClient http = vertx.createHttpClient(Notifier.httpOptions(config)
                    .setTrustOptions(new PemTrustOptions().addCertPath(pem.toString())));
            NotificationSender sender = sender(http, loopbackGuard(new AtomicInteger()));
            Subscription named = new Subscription("tls", "webhook", "https://receiver.test:" + port + "/hook",
                    List.of(), Map.of(), SECRET, 0L);
            sender.send(named, transition(), "key-3").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(1, received.get(), "the certificate of receiver.test matched the original host name");

            Subscription other = new Subscription("tls", "webhook", "https://other.test:" + port + "/hook",
                    List.of(), Map.of(), SECRET, 0L);
            ExecutionException e = assertThrows(ExecutionException.class, () -> sender.send(other, transition(),
                    "key-4").toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("SSL"), e.getCause().toString());
            assertEquals(1, received.get(), "the same address under another name is refused by the TLS check");
        } finally {
            server.stop(0);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
