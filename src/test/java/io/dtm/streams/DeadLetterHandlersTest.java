package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.support.ScrapedMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exception handlers the service configures (read from {@code application.properties}), in a topology that
 * reads a typed topic, computes in a processor that can throw and writes with a serializer that can fail: each bad
 * record goes to the dead-letter topic with its reason and source topic, is counted, and the next record goes
 * through.
 */
class DeadLetterHandlersTest {

    private static final String APPLICATION = "dtm-dead-letter-test";
    private static final String OUT = "dtm.test-out.v1";

    @TempDir
    Path stateDir;

    private PrometheusMeterRegistry registry;
    private MockProducer<byte[], byte[]> dlqProducer;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> observations;
    private TestOutputTopic<String, String> out;

    @BeforeEach
    void setUp() throws IOException {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        dlqProducer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetters.install(APPLICATION, new DeadLetters(dlqProducer, new DtmMetrics(registry)));

        // a value whose text is "unwritable" cannot be serialized on the way out
        Serde<String> failing = Serdes.serdeFrom((topic, text) -> {
            if ("unwritable".equals(text)) {
                throw new IllegalArgumentException("cannot write " + text);
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }, (topic, bytes) -> new String(bytes, StandardCharsets.UTF_8));
        StreamsBuilder builder = TopologyProducer.newBuilder(APPLICATION);
        builder.stream(Topics.OBSERVATIONS.name(), Topics.OBSERVATIONS.consumed("test-read-observations"))
                // throws ArithmeticException for a value beyond a long
                .mapValues(o -> o.period().equals("9999") ? "unwritable"
                        : Long.toString(Math.multiplyExact(o.value().longValue(), 1000L)), Named.as("test-scale"))
                .to(OUT, Produced.with(Serdes.String(), failing).withName("test-write"));

        Properties props = new Properties();
        props.putAll(serviceHandlers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        observations = driver.createInputTopic(Topics.OBSERVATIONS.name(), new StringSerializer(),
                new ByteArraySerializer());
        out = driver.createOutputTopic(OUT, Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** The three handler settings of {@code application.properties}, without their {@code kafka-streams.} prefix. */
    private static Properties serviceHandlers() throws IOException {
        Properties all = new Properties();
        try (InputStream in = DeadLetterHandlersTest.class.getResourceAsStream("/application.properties")) {
            all.load(in);
        }
        Properties handlers = new Properties();
        for (String key : List.of(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)) {
            handlers.put(key, all.getProperty("kafka-streams." + key));
        }
        return handlers;
    }

    private static Observation observation(String period, double value) {
        return new Observation("trade", "CHN", "WLD", "EXPORT", "DDS", period, value, "USD", "2024-06-01",
                "urn:test", "id-" + period, null, null, null, null, false);
    }

    private void pipe(String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("origin", "test".getBytes(StandardCharsets.UTF_8));
        observations.pipeInput(new TestRecord<>(key, value, headers));
    }

    private void pipe(Observation obs) {
        pipe(obs.series().withPeriod(obs.period()), JsonSerde.MAPPER.valueToTree(obs).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private ProducerRecord<byte[], byte[]> onlyDeadLetter() {
        List<ProducerRecord<byte[], byte[]>> sent = dlqProducer.history();
        assertEquals(1, sent.size(), "dead letters: " + sent);
        assertEquals(Topics.DLQ.name(), sent.get(0).topic());
        return sent.get(0);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private double deadLettered(String topic, String reason) {
        return ScrapedMetrics.of(registry.getPrometheusRegistry()).value("dtm_records_dead_lettered_total",
                "topic", topic, "reason", reason);
    }

    @Test
    void shouldDeadLetterARecordThatCannotBeReadAndGoOn() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        pipe("bad-key", garbage);
        pipe(observation("2023", 2));

        assertEquals(List.of("2000"), out.readValuesToList());
        ProducerRecord<byte[], byte[]> dead = onlyDeadLetter();
        assertArrayEquals(garbage, dead.value());
        assertArrayEquals("bad-key".getBytes(StandardCharsets.UTF_8), dead.key());
        assertEquals("deserialization", header(dead, DeadLetters.REASON_HEADER));
        assertEquals(Topics.OBSERVATIONS.name(), header(dead, DeadLetters.SOURCE_TOPIC_HEADER));
        assertTrue(header(dead, DeadLetters.DETAIL_HEADER).contains("Observation"), header(dead,
                DeadLetters.DETAIL_HEADER));
        assertEquals("test", header(dead, "origin"), "the original headers are kept");
        assertEquals(1, deadLettered(Topics.OBSERVATIONS.name(), "deserialization"));
    }

    @Test
    void shouldDeadLetterARecordOnWhichAProcessorThrowsAndGoOn() {
        Observation huge = observation("2022", 1e18);
        pipe(huge);
        pipe(observation("2023", 3));

        assertEquals(List.of("3000"), out.readValuesToList());
        ProducerRecord<byte[], byte[]> dead = onlyDeadLetter();
        assertEquals("processing", header(dead, DeadLetters.REASON_HEADER));
        assertEquals(Topics.OBSERVATIONS.name(), header(dead, DeadLetters.SOURCE_TOPIC_HEADER));
        String detail = header(dead, DeadLetters.DETAIL_HEADER);
        assertTrue(detail.startsWith("ArithmeticException") && detail.contains("test-scale"), detail);
        assertEquals(huge, JsonSerde.of(Observation.class).deserializer().deserialize("t", dead.value()));
        assertEquals(1, deadLettered(Topics.OBSERVATIONS.name(), "processing"));
        assertEquals(0, deadLettered(Topics.OBSERVATIONS.name(), "deserialization"));
    }

    @Test
    void shouldDeadLetterARecordThatCannotBeWrittenAndGoOn() {
        pipe(observation("9999", 1));
        pipe(observation("2023", 4));

        assertEquals(List.of("4000"), out.readValuesToList());
        ProducerRecord<byte[], byte[]> dead = onlyDeadLetter();
        assertEquals("production", header(dead, DeadLetters.REASON_HEADER));
        assertEquals(OUT, header(dead, DeadLetters.SOURCE_TOPIC_HEADER));
        assertTrue(header(dead, DeadLetters.DETAIL_HEADER).contains("cannot write unwritable"),
                header(dead, DeadLetters.DETAIL_HEADER));
        assertEquals(1, deadLettered(OUT, "production"));
    }

    @Test
    void shouldRegisterTheCounterAtZeroForEveryTopicTheServiceReads() {
        ScrapedMetrics scraped = ScrapedMetrics.of(registry.getPrometheusRegistry());
        for (Topic<?, ?> topic : Topics.read()) {
            for (DeadLetters.Reason reason : DeadLetters.Reason.values()) {
                assertTrue(scraped.has("dtm_records_dead_lettered_total", "topic", topic.name(), "reason",
                        reason.label()), topic.name() + " " + reason.label());
            }
        }
    }
}
