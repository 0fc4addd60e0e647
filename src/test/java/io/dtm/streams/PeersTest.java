package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Gathering a list from the other instances: the same request with local=true and the caller's credentials. */
class PeersTest {

    record Item(String key, double value) {
    }

    private final Peers peers = new Peers(null, "127.0.0.1:1");

    private static HttpServer serve(String body, int status, List<String> seen) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void shouldAskEachInstanceForItsOwnItemsWithTheCallersCredentials() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer a = serve("[{\"key\":\"a\",\"value\":1.5}]", 200, seen);
        HttpServer b = serve("[{\"key\":\"b\",\"value\":2.0},{\"key\":\"c\",\"value\":-1}]", 200, seen);
        try {
            List<Item> items = peers.gather(List.of(new HostInfo("127.0.0.1", a.getAddress().getPort()),
                    new HostInfo("127.0.0.1", b.getAddress().getPort())),
                    URI.create("http://127.0.0.1:8080/api/v1/alerts?all=true&rule=x"), "Bearer k", Item[].class);
            assertEquals(List.of(new Item("a", 1.5), new Item("b", 2.0), new Item("c", -1)), items);
            assertEquals(2, seen.size());
            for (String request : seen) {
                assertTrue(request.startsWith("/api/v1/alerts?"), request);
                assertTrue(request.contains("all=true") && request.contains("rule=x")
                        && request.contains("local=true") && request.endsWith(" Bearer k"), request);
            }
        } finally {
            a.stop(0);
            b.stop(0);
        }
    }

    @Test
    void shouldSayWhichInstanceDidNotAnswerRatherThanGiveAPartialList() throws Exception {
        HttpServer failing = serve("{}", 503, new CopyOnWriteArrayList<>());
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try {
            URI request = URI.create("http://127.0.0.1:8080/api/v1/indicators");
            Peers.PeerUnavailable e = assertThrows(Peers.PeerUnavailable.class, () -> peers.gather(
                    List.of(new HostInfo("127.0.0.1", failing.getAddress().getPort())), request, null,
                    Item[].class));
            assertTrue(e.getMessage().contains(":" + failing.getAddress().getPort() + " did not answer: HTTP 503"),
                    e.getMessage());
            assertThrows(Peers.PeerUnavailable.class, () -> peers.gather(
                    List.of(new HostInfo("127.0.0.1", closed)), request, null, Item[].class));
            assertEquals(List.of(), peers.gather(List.of(), request, null, Item[].class), "no other instance");
        } finally {
            failing.stop(0);
        }
    }
}
