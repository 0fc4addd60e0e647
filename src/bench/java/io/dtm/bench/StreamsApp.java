package io.dtm.bench;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.Topology;

/**
 * A Kafka Streams application to time with {@link StreamsRun}.
 *
 * @param name the phase's label
 * @param appId its {@code application.id}
 * @param topology what it runs
 * @param processed whether every record has gone through the topology's last processor
 * @param progress how far it got, for the progress lines and errors
 * @param atEnd what to note once the end is seen, before the application closes
 */
record StreamsApp(String name, String appId, Topology topology, BooleanSupplier processed, Supplier<String> progress,
        Supplier<String> atEnd) {

    /** An application with nothing to note at the end. */
    StreamsApp(String name, String appId, Topology topology, BooleanSupplier processed, Supplier<String> progress) {
        this(name, appId, topology, processed, progress, () -> "");
    }
}
