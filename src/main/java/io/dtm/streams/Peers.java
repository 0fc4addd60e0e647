package io.dtm.streams;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The other instances of this application, as Kafka Streams knows them ({@code application.server} of each), and
 * the one way a list endpoint gathers what they hold: the same request with {@code local=true}, with the caller's
 * credentials (each instance checks them as the first one did), its JSON array appended. Used by
 * {@code GET /api/v1/indicators} and {@code GET /api/v1/alerts}, so that every instance gives the same answer.
 */
@ApplicationScoped
public class Peers {

    /** The query parameter that asks an instance for what it holds itself. */
    public static final String LOCAL = "local";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Peers(KafkaStreams streams,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** This instance's address for interactive queries. */
    public HostInfo self() {
        return self;
    }

    /** The other instances of the application. */
    public List<HostInfo> others() {
        return streams.metadataForAllStreamsClients().stream().map(m -> m.hostInfo()).filter(h -> !h.equals(self))
                .distinct().toList();
    }

    /**
     * What the other instances hold: {@code request} sent to each with {@code local=true}.
     *
     * @throws PeerUnavailable when one does not answer 200 within 5 s (the list would be incomplete)
     */
    public <T> List<T> gather(URI request, String authorization, Class<T[]> type) throws PeerUnavailable {
        return gather(others(), request, authorization, type);
    }

    /** {@link #gather(URI, String, Class)} over the given instances. */
    public <T> List<T> gather(List<HostInfo> hosts, URI request, String authorization, Class<T[]> type)
            throws PeerUnavailable {
        List<T> found = new ArrayList<>();
        for (HostInfo host : hosts) {
            found.addAll(fetch(host, request, authorization, type));
        }
        return found;
    }

    private <T> List<T> fetch(HostInfo host, URI request, String authorization, Class<T[]> type)
            throws PeerUnavailable {
        URI target = jakarta.ws.rs.core.UriBuilder.fromUri(request).host(host.host()).port(host.port())
                .replaceQueryParam(LOCAL, "true").build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new PeerUnavailable(host, "HTTP " + response.statusCode());
            }
            return List.of(JsonSerde.MAPPER.readValue(response.body(), type));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerUnavailable(host, "interrupted");
        } catch (java.io.IOException e) {
            throw new PeerUnavailable(host, e.getMessage());
        }
    }

    /** An instance that did not answer. */
    public static final class PeerUnavailable extends Exception {
        public PeerUnavailable(HostInfo host, String why) {
            super("instance " + host.host() + ":" + host.port() + " did not answer: " + why);
        }
    }
}
