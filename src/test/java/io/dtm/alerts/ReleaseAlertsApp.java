package io.dtm.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.AlertGauges;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.ModelGauges;
import io.dtm.model.ModelTopology;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.TopologyProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.Stores;

/**
 * The ingest, model and alerts sub-topologies as the service runs them (persistent stores, exactly-once), in a
 * process of their own so that a test can kill it ({@code kill -9}) in the middle of a load: the models of
 * {@code models-releases.yaml} and the rules the test writes to {@code dtm.alert-rules.v1} ({@link #rules()}: the
 * default model rules, copied for {@code drivers-b} and {@code drivers-c}, on topics of three partitions).
 * Arguments: the bootstrap servers and the state directory.
 */
public final class ReleaseAlertsApp {

    /** The suffixes of the copies of the default model rules, with the models they watch. */
    static final List<String> COPIES = List.of("-b", "-c");

    private ReleaseAlertsApp() {
    }

    public static void main(String[] args) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-release-alerts");
        IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                Stores::persistentKeyValueStore, Clock.systemUTC());
        ModelTopology.build(builder, ModelAlertsOrderTest.specs(), metrics, new ModelGauges(registry),
                Stores::persistentKeyValueStore);
        AlertsTopology.build(builder, 3, new AlertGauges(registry), Stores::persistentKeyValueStore);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dtm-release-alerts");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[1]);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        KafkaStreams streams = new KafkaStreams(builder.build(props), props);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println("state " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.start();
        stopped.await();
    }

    /** The default rules, and a copy of each model rule per copy of the model (id and model suffixed). */
    static Map<String, AlertRule> rules() {
        Map<String, AlertRule> rules = new LinkedHashMap<>(AlertRules.load("classpath:alert-rules.yaml").byId());
        for (String suffix : COPIES) {
            for (AlertRule any : AlertRules.load("classpath:alert-rules.yaml").byId().values()) {
                if (any instanceof ModelThreshold rule) {
                    ObjectNode copy = JsonSerde.MAPPER.valueToTree(rule);
                    copy.put("id", rule.id() + suffix).put("model", rule.model() + suffix);
                    rules.put(rule.id() + suffix, JsonSerde.MAPPER.convertValue(copy, AlertRule.class));
                }
            }
        }
        return rules;
    }
}
