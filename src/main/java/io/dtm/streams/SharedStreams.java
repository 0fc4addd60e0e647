package io.dtm.streams;

import io.dtm.events.Observation;
import java.util.Optional;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Streams that a part of the one topology offers the parts added after it, so that roles running in the same
 * application hand records over in process instead of through a topic they also write.
 */
public final class SharedStreams {

    private KStream<String, Observation> observations;

    /** Offers the winning observations, as they are written to {@code dtm.observations.v1} (same key). */
    public void offerObservations(KStream<String, Observation> stream) {
        this.observations = stream;
    }

    /** The winning observations when the ingest part runs in this topology; empty otherwise. */
    public Optional<KStream<String, Observation>> observations() {
        return Optional.ofNullable(observations);
    }
}
