package io.dtm.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Produces the one topology of this instance from the sub-topologies of the roles it runs, added in role order
 * (ingest first), each given the {@link SharedStreams} of the parts before it. The exception handlers of
 * {@code application.properties} dead-letter what it cannot read, process or write ({@link DeadLetters}).
 */
@ApplicationScoped
public class TopologyProducer {

    private static final Logger LOG = Logger.getLogger(TopologyProducer.class);

    private final DtmConfig config;
    private final Instance<SubTopology> parts;
    private final String applicationId;
    private final DeadLetters deadLetters;

    TopologyProducer(DtmConfig config, Instance<SubTopology> parts,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId,
            DeadLetters deadLetters) {
        this.config = config;
        this.parts = parts;
        this.applicationId = applicationId;
        this.deadLetters = deadLetters;
    }

    /**
     * Dependent scope on purpose: Kafka Streams reads the topology's fields, which a client proxy would hide. Installs
     * the dead letters of the exception handlers first, so that they are there before Kafka Streams is created.
     */
    @Produces
    Topology topology() {
        DeadLetters.install(applicationId, deadLetters);
        StreamsBuilder builder = newBuilder(applicationId);
        SharedStreams shared = new SharedStreams();
        parts.stream()
                .filter(part -> config.runs(part.role()))
                .sorted(Comparator.comparing(SubTopology::role))
                .forEach(part -> part.addTo(builder, shared));
        Topology topology = builder.build();
        LOG.debugf("topology of %s:%n%s", applicationId, topology.describe());
        return topology;
    }

    /** A builder that refuses auto-generated names for internal topics and stores (KIP-1111). */
    public static StreamsBuilder newBuilder(String applicationId) {
        Properties props = new Properties();
        props.putAll(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true"));
        return new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    }
}
