package io.dtm.streams;

import org.apache.kafka.streams.StreamsBuilder;

/** A feature's part of the one Kafka Streams topology, added when this instance runs its role. */
public interface SubTopology {

    /** The role that adds this part. */
    Role role();

    /** Adds this part's sources, processors, stores and sinks to {@code builder}. */
    void addTo(StreamsBuilder builder);

    /**
     * Adds this part, given what the parts added before it share; by default it shares nothing and reads its
     * input from topics ({@link #addTo(StreamsBuilder)}).
     */
    default void addTo(StreamsBuilder builder, SharedStreams shared) {
        addTo(builder);
    }
}
