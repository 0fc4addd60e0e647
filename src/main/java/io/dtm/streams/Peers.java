package io.dtm.streams;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Interactive queries across the instances of this application, in one place for every feature:
 * <ul>
 * <li>{@link #owner}: where a key's partition of a store is active — here (with the partition) or on another
 * instance, which an endpoint answers with 303 — or {@link InvalidStateStoreException} (503) while that is not
 * known;</li>
 * <li>{@link #prefixScan}: the values under a key prefix in one partition of a store of this instance;</li>
 * <li>{@link #gather}: what the other instances hold, for a list endpoint: the same request with
 * {@code local=true}, with the caller's credentials (each instance checks them as the first one did), its JSON
 * array appended. Used by {@code GET /api/v1/indicators} and {@code GET /api/v1/alerts}, so that every instance
 * gives the same answer.</li>
 * </ul>
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

    /** Where a key's partition of a store is active. */
    public sealed interface Owner permits Here, Elsewhere {
    }

    /** On this instance, in this partition of the store. */
    public record Here(int partition) implements Owner {
    }

    /** On another instance. */
    public record Elsewhere(HostInfo host) implements Owner {
    }

    /**
     * Where {@code key}'s partition of {@code store} is active, the key placed by {@code keySerializer} (the default
     * partitioner) or {@code partitioner}, exactly one of them non-null.
     *
     * @param what the key as a reader knows it, for the error
     * @throws InvalidStateStoreException while the owner is not known (the application is starting or rebalancing)
     */
    public <K> Owner owner(String store, K key, Serializer<K> keySerializer, StreamPartitioner<? super K, ?> partitioner,
            String what) {
        KeyQueryMetadata where = keySerializer != null ? streams.queryMetadataForKey(store, key, keySerializer)
                : streams.queryMetadataForKey(store, key, partitioner);
        if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new InvalidStateStoreException("the owner of " + what + " is not known yet");
        }
        return where.activeHost().equals(self) ? new Here(where.partition()) : new Elsewhere(where.activeHost());
    }

    /**
     * The entries under {@code prefix} in one partition of a key-value store of this instance, in key order.
     *
     * @throws InvalidStateStoreException while the store is not ready
     */
    public <V> List<KeyValue<String, V>> prefixScan(String store, int partition, String prefix) {
        ReadOnlyKeyValueStore<String, V> kv = streams.store(StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition));
        List<KeyValue<String, V>> found = new ArrayList<>();
        try (KeyValueIterator<String, V> it = kv.prefixScan(prefix, Serdes.String().serializer())) {
            it.forEachRemaining(found::add);
        }
        return found;
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
