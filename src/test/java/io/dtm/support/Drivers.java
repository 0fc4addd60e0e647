package io.dtm.support;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A {@link TopologyTestDriver} for a topology built by a test, with its state under {@code stateDir}. */
public final class Drivers {

    private Drivers() {
    }

    public static TopologyTestDriver of(Topology topology, Path stateDir) {
        return of(topology, stateDir, Instant.now());
    }

    /** A driver whose wall clock starts at {@code wallClock} (advanced by the test). */
    public static TopologyTestDriver of(Topology topology, Path stateDir, Instant wallClock) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dtm-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(topology, props, wallClock);
    }
}
