package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import io.dtm.streams.SeriesPartitioner;
import io.dtm.streams.SharedStreams;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topic;
import io.dtm.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code ingest} sub-topology: feed topics (bytes) → parse and validate → keyed by (series, period) and, unless
 * the event is on it already, repartitioned to its series' partition (so that a task holds whole series for the
 * indicators over time) → de-duplicate by (source, id) → resolve the vintage per (series, period) →
 * {@code dtm.observations.v1} (a tombstone where a retraction withdraws an observation); rejects →
 * {@code dtm.dlq.v1}. The feeds, the repartition and the vintage store are one
 * sub-topology: its task for partition p reads partition p of the feeds and of the repartition.
 * <p>
 * De-duplication and vintages share one store ({@link VintageCell}): a repeat of an event carries the same series
 * and period, so it meets the first copy in the same cell. An id reused by its source for <em>other</em> content
 * (another series or period) is not seen as a repeat: it goes through as an event of its own, and its (series,
 * period) keeps the winning vintage as any other event's would.
 */
@ApplicationScoped
public class IngestTopology implements SubTopology {

    /** Per (series, period): the winning observation and the event ids seen, with the wall-clock time first seen. */
    public static final String VINTAGE_STORE = "observation-vintage-store";

    /** The repartition to the series' partition, for the events that are not on it already. */
    static final String VINTAGE_TOPIC = "ingest-vintage";

    private final DtmMetrics metrics;
    private final IngestConfig config;
    private final int partitions;
    private final Clock clock;

    IngestTopology(DtmMetrics metrics, IngestConfig config, DtmConfig dtm, Clock clock) {
        this.metrics = metrics;
        this.config = config;
        this.partitions = dtm.topics().partitions();
        this.clock = clock;
    }

    @Override
    public Role role() {
        return Role.INGEST;
    }

    @Override
    public void addTo(StreamsBuilder builder) {
        addTo(builder, new SharedStreams());
    }

    /** Adds the sub-topology and offers the winning observations to the parts added after it. */
    @Override
    public void addTo(StreamsBuilder builder, SharedStreams shared) {
        shared.offerWinners(build(builder, metrics, config.dedupRetention(), config.dedupPurgeInterval(),
                config.dedupMaxIds(), partitions, Stores::persistentKeyValueStore, clock));
    }

    /**
     * Adds the sub-topology to {@code builder}.
     *
     * @param maxEventIds how many event ids a (series, period) remembers at most ({@link VintageCell})
     * @param partitions the partitions of the feed topics ({@code dtm.topics.partitions}), which the repartition to
     *                   the series' partition gets too
     * @param stores the store supplier by store name (persistent in the service; tests may keep them in memory)
     * @param clock today's date, against which periods and vintages must be plausible
     * @return the winning observations, keyed as on {@code dtm.observations.v1} (which they are also written to) and
     *         partitioned by series, with the vintage store that holds them
     */
    public static SharedStreams.Winners build(StreamsBuilder builder, DtmMetrics metrics, Duration dedupRetention,
            Duration purgeInterval, int maxEventIds, int partitions,
            Function<String, KeyValueBytesStoreSupplier> stores, Clock clock) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(VINTAGE_STORE), Serdes.String(), new VintageCellSerde()));

        // One source and one parse step for the four feeds. An event already on its series' partition (a feed
        // keyed by the series, as the HTTP ingest does) goes on to the vintage step in the same task; the others go
        // through the repartition to that partition, which this same sub-topology reads.
        var routes = builder.stream(Topics.feeds().stream().map(Topic::name).toList(),
                        Topics.TRADE.consumed("ingest-read-feeds"))
                .process(() -> new ParseProcessor(partitions, metrics, clock), Named.as("ingest-parse"))
                .split(Named.as("ingest-route-"))
                .branch((key, parsed) -> parsed.rejected(), Branched.as("rejected"))
                .branch((key, parsed) -> parsed.here(), Branched.as("here"))
                .defaultBranch(Branched.as("elsewhere"));
        routes.get("ingest-route-rejected")
                .mapValues(ParseProcessor.Parsed::original, Named.as("ingest-original"))
                .to(Topics.DLQ.name(), Topics.DLQ.produced("ingest-write-dlq"));
        KStream<String, VintageEntry> here = routes.get("ingest-route-here")
                .map((key, parsed) -> KeyValue.pair(parsed.key(), parsed.entry()),
                        Named.as("ingest-on-series-partition"));
        KStream<String, VintageEntry> moved = routes.get("ingest-route-elsewhere")
                .map((key, parsed) -> KeyValue.pair(parsed.key(), parsed.entry()),
                        Named.as("ingest-off-series-partition"))
                .repartition(Repartitioned.with(Serdes.String(), new VintageEntrySerde()).withName(VINTAGE_TOPIC)
                        .withStreamPartitioner(new SeriesPartitioner<>()).withNumberOfPartitions(partitions));
        KStream<String, SharedStreams.Winner> winners = here.merge(moved, Named.as("ingest-merge-by-series"))
                .process(() -> new VintageProcessor(metrics, dedupRetention, purgeInterval, maxEventIds),
                        Named.as("ingest-resolve-vintage"), VINTAGE_STORE);
        winners.mapValues(SharedStreams.Winner::observation, Named.as("ingest-observation-of-winner"))
                .to(Topics.OBSERVATIONS.name(), Topics.OBSERVATIONS.produced("ingest-write-observations"));
        return new SharedStreams.Winners(winners, VINTAGE_STORE, cell -> ((VintageCell) cell).observation());
    }

    /** {@code source|id}, with {@code %} and {@code |} escaped in the source so that the key is unambiguous. */
    static String eventKey(String source, String id) {
        return source.replace("%", "%25").replace("|", "%7C") + "|" + id;
    }
}
