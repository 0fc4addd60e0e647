package io.dtm.indicators;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dtm.api.Problems;
import io.dtm.events.IndicatorValue;
import io.dtm.streams.Peers;
import io.dtm.streams.SeriesPartitioner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over the indicator value stores: the latest value of every series this instance holds, and
 * the history of one series from the instance whose task owns it.
 */
@ApplicationScoped
class IndicatorQueries {

    /** The value stores: entries over one series, and the others. */
    private static final List<String> STORES = List.of(IndicatorsTopology.SERIES_VALUE_STORE,
            IndicatorsTopology.VALUE_STORE);

    private final KafkaStreams streams;
    private final IndicatorsTopology indicators;
    private final Peers peers;

    IndicatorQueries(KafkaStreams streams, IndicatorsTopology indicators, Peers peers) {
        this.streams = streams;
        this.indicators = indicators;
        this.peers = peers;
    }

    /** One indicator series with its latest period; {@code id} names it in {@code /api/v1/indicators/{id}/history}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String id, String entry, String indicator, String reporter, String partner, String flow,
            String category, String period, double value, boolean synthetic) {

        static Item of(IndicatorValue v) {
            return new Item(itemId(v), v.id(), v.indicator(), v.reporter(), v.partner(), v.flow(), v.category(),
                    v.period(), v.value(), v.synthetic());
        }
    }

    /** One series by period, each value with the inputs (series, period, vintage, source, id) behind it. */
    public record History(String id, String entry, String indicator, String reporter, String partner, String flow,
            String category, boolean synthetic, List<Point> points) {
    }

    /** A value of a period and its inputs. */
    public record Point(String period, double value, List<IndicatorValue.Input> inputs, long computedAt) {
    }

    /** Filters of the list; {@code null} matches anything. */
    public record Filter(String indicator, String entry, String reporter, String partner, String flow,
            String category) implements Predicate<IndicatorValue> {

        @Override
        public boolean test(IndicatorValue v) {
            return (indicator == null || indicator.equals(v.indicator())) && (entry == null || entry.equals(v.id()))
                    && (reporter == null || reporter.equals(v.reporter()))
                    && (partner == null || partner.equals(v.partner())) && (flow == null || flow.equals(v.flow()))
                    && (category == null || category.equals(v.category()));
        }
    }

    /** Where the history of a series lives: here (with the history), on another instance, or nowhere yet. */
    public sealed interface Located permits Here, Elsewhere, Unknown {
    }

    public record Here(Optional<History> history) implements Located {
    }

    public record Elsewhere(HostInfo host) implements Located {
    }

    /** The item id names no catalogue entry, or not a series it can compute. */
    public record Unknown(String reason) implements Located {
    }

    /** {@code entry:reporter:partner:flow:category}. */
    static String itemId(IndicatorValue v) {
        return String.join(":", v.id(), v.reporter(), v.partner(), v.flow(), v.category());
    }

    /**
     * The latest value of each series held by this instance that matches {@code filter}.
     *
     * @throws InvalidStateStoreException while the store is not ready (rebalancing, restoring)
     */
    public List<Item> localLatest(Filter filter) {
        Map<String, IndicatorValue> latest = new HashMap<>();
        for (String name : STORES) {
            try (KeyValueIterator<String, IndicatorValue> all = store(name, null).all()) {
                all.forEachRemaining(kv -> {
                    if (filter.test(kv.value)) {
                        latest.merge(kv.value.seriesKey(), kv.value,
                                (a, b) -> a.period().compareTo(b.period()) >= 0 ? a : b);
                    }
                });
            }
        }
        return latest.values().stream().map(Item::of).sorted(Comparator.comparing(Item::id)).toList();
    }

    /**
     * Finds the history of the series {@code itemId}.
     *
     * @throws InvalidStateStoreException while the store is not ready
     */
    public Located history(String itemId) {
        String[] parts = itemId.split(":", -1);
        if (parts.length != 5) {
            return new Unknown("an indicator id is entry:reporter:partner:flow:category, was '" + Problems.echo(itemId) + "'");
        }
        IndicatorKind kind = indicators.catalogue().kinds().get(parts[0]);
        if (kind == null) {
            return new Unknown("no catalogue entry '" + Problems.echo(parts[0]) + "'");
        }
        String group = kind.groupOf(parts[1], parts[2], parts[3], parts[4]);
        String storeName = kind.bySeries() ? IndicatorsTopology.SERIES_VALUE_STORE : IndicatorsTopology.VALUE_STORE;
        Peers.Owner owner = kind.bySeries()
                ? peers.owner(storeName, kind.inputSeries(parts[1], parts[2], parts[3], parts[4]) + "|", null,
                        new SeriesPartitioner<>(), itemId)
                : peers.owner(storeName, group, Serdes.String().serializer(), null, itemId);
        if (owner instanceof Peers.Elsewhere elsewhere) {
            return new Elsewhere(elsewhere.host());
        }
        String seriesKey = String.join("|", parts);
        List<IndicatorValue> values = new ArrayList<>();
        for (KeyValue<String, IndicatorValue> kv : peers.<IndicatorValue>prefixScan(storeName,
                ((Peers.Here) owner).partition(), group + "#")) {
            if (kv.value.seriesKey().equals(seriesKey)) {
                values.add(kv.value);
            }
        }
        if (values.isEmpty()) {
            return new Here(Optional.empty());
        }
        values.sort(Comparator.comparing(IndicatorValue::period));
        IndicatorValue first = values.get(0);
        return new Here(Optional.of(new History(itemId, first.id(), first.indicator(), first.reporter(),
                first.partner(), first.flow(), first.category(), values.stream().anyMatch(IndicatorValue::synthetic),
                values.stream().map(v -> new Point(v.period(), v.value(), v.inputs(), v.computedAt())).toList())));
    }

    private ReadOnlyKeyValueStore<String, IndicatorValue> store(String name, Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, IndicatorValue>> params = StoreQueryParameters
                .fromNameAndType(name, QueryableStoreTypes.keyValueStore());
        return streams.store(partition == null ? params : params.withPartition(partition));
    }
}
