package io.dtm.streams;

import io.dtm.events.Observation;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Streams that a part of the one topology offers the parts added after it, so that roles running in the same
 * application hand records over in process instead of through a topic they also write.
 */
public final class SharedStreams {

    /**
     * The winning observations, keyed {@code series|period} as on {@code dtm.observations.v1} and partitioned by
     * series ({@link SeriesPartitioner}), with the store of their sub-topology that holds the winner of every
     * (series, period) of the task, under the same key. A {@link Winner} without an observation withdraws the
     * observation of its key.
     *
     * @param store    the store's name
     * @param winnerOf the winning observation of a value of that store; {@code null} when it was withdrawn
     */
    public record Winners(KStream<String, Winner> stream, String store, Function<Object, Observation> winnerOf) {
    }

    /**
     * A change of the winning observation of one (series, period), as the vintage step hands it over in process.
     *
     * @param observation the new winner; {@code null} when the one that stood was withdrawn
     * @param first       whether no observation stood for that (series, period) before this one: nothing computed
     *                    from it can be stored yet (always {@code false} when not known)
     */
    public record Winner(Observation observation, boolean first) {

        /** A winner of which nothing is known besides the observation ({@code null}: a withdrawal). */
        public static Winner of(Observation observation) {
            return new Winner(observation, false);
        }
    }

    private Winners winners;

    /** Offers the winning observations. */
    public void offerWinners(Winners offered) {
        this.winners = offered;
    }

    /** The winning observations when the ingest part runs in this topology; empty otherwise. */
    public Optional<Winners> winners() {
        return Optional.ofNullable(winners);
    }
}
