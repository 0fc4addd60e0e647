package io.dtm.imports;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.support.KafkaBroker;
import io.dtm.support.ScrapedMetrics;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactness under failure on a real broker: the packaged service ({@code target/quarkus-app/quarkus-run.jar}) killed
 * with SIGKILL in the middle of a large import, started again on the same state and fed the same publication again,
 * ends with the same observations, indicators and drivers model as a clean import into an empty broker, and its
 * counters add up.
 */
class ImportCrashIT {

    private static final String DATASET = "crash-sdmx";
    private static final LocalDate VINTAGE = LocalDate.of(2025, 6, 30);
    private static final String APPLICATION_ID = "dtm-alerts-indicators-ingest-model";
    private static final List<String> FEED_TOPICS = List.of("dtm.trade.v1", "dtm.compute.v1", "dtm.policy.v1",
            "dtm.macro.v1");
    private static final List<String> FEEDS = List.of("trade", "compute", "policy", "macro");
    private static final String OBSERVATIONS = "dtm.observations.v1";
    private static final String INDICATORS = "dtm.indicators.v1";
    private static final String MODEL = "dtm.model.v1";
    /** Numbers are equal when they differ by at most this, relative to the larger (absolute below 1). */
    private static final double TOLERANCE = 1e-12;
    /**
     * The same for the model's inference (standard errors, t, p, intervals, standardised coefficients, R², the
     * stability tests): the model sums its statistics again from the rows it holds, in a fixed order, so that they
     * do not depend on the arrival order either.
     */
    private static final double INFERENCE_TOLERANCE = TOLERANCE;
    /** The largest relative differences {@link #compare} met: observations and indicators, coefficients, inference. */
    private static final double[] LARGEST = new double[3];
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "dtm_it_" + HexFormat.of().formatHex(random(24));
    private static final Duration SETTLED = Duration.ofSeconds(6);

    private static final long STARTED = System.nanoTime();
    /** The broker in this JVM and the clients log at WARN; kept here so that the levels stay set. */
    private static final List<java.util.logging.Logger> QUIET = Stream.of("kafka", "state.change.logger",
            "org.apache.kafka", "org.apache.zookeeper").map(java.util.logging.Logger::getLogger).toList();

    private static Path work;
    private static Path publication;
    private static int figures;
    private static final List<Service> services = new ArrayList<>();
    private static final List<KafkaClusterTestKit> brokers = new ArrayList<>();

    @BeforeAll
    static void generate() throws IOException {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.SEVERE));
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "import-crash-it-");
        publication = work.resolve("publication.csv");
        figures = Publication.write(publication);
        log(figures + " figures in " + publication.getFileName() + " (" + Files.size(publication) + " bytes)");
    }

    /** A line on the test's output with the seconds since the start, so that a slow phase shows. */
    private static void log(String message) {
        System.out.printf(Locale.ROOT, "ImportCrashIT %6.1f s  %s%n", (System.nanoTime() - STARTED) / 1e9, message);
    }

    @AfterAll
    static void stopEverything() {
        services.forEach(Service::close);
        for (KafkaClusterTestKit broker : brokers) {
            try {
                broker.close();
            } catch (Exception e) {
                System.err.println("closing a test broker: " + e);
            }
        }
        RestAssured.reset();
    }

    @Test
    void anImportKilledMidwayAndStartedAgainEndsAsACleanImportWithCountersThatAddUp() throws Exception {
        // 1. The reference: the publication imported once into an empty broker by a service that is never stopped.
        Outcome clean;
        String cleanBroker = broker();
        try (Service service = Service.start("clean", cleanBroker, work.resolve("clean"))) {
            String location = service.postImport(publication);
            JsonPath done = service.awaitImport(location, Duration.ofSeconds(120));
            assertEquals(figures, done.getLong("rows.published"), "figures published by the clean import");
            assertEquals(0, done.getLong("rows.rejected") + done.getLong("rows.skipped") + done.getLong("rows.missing"));
            awaitCounted(service, "dtm_events_received_total", figures, Duration.ofSeconds(120));
            clean = awaitSettled(service, cleanBroker, Duration.ofSeconds(120));
            ScrapedMetrics counters = ScrapedMetrics.scrape();
            assertEquals(figures, sum(counters, "dtm_events_received_total"), "received by the clean service");
            assertEquals(figures, sum(counters, "dtm_events_accepted_total"), "accepted by the clean service");
            assertEquals(0, sum(counters, "dtm_events_duplicate_total"), "duplicates in the clean run");
            assertEquals(0, counters.value("dtm_events_rejected_total"), "rejects in the clean run");
        }
        assertEquals(figures, clean.observations().size(), "one observation per figure in the clean run");
        assertTrue(clean.indicators().size() > figures / 2, "indicators computed: " + clean.indicators().size());
        assertModelEstimated(clean.model());

        // 2. The same publication into another empty broker, the service killed (SIGKILL) a third of the way in.
        String crashBroker = broker();
        Path state = work.resolve("crash");
        Service first = Service.start("crash-first", crashBroker, state);
        String firstImport = first.postImport(publication);
        long handedOn = awaitPartlyPublished(first, firstImport);
        first.kill();
        Map<TopicPartition, Long> committed = committedFeedOffsets(crashBroker);
        long firstPublished = feedRecords(crashBroker, committed)[1];
        assertTrue(firstPublished > 0 && firstPublished < figures, "the first attempt published part of the "
                + figures + " figures before it was killed, not " + firstPublished + " (the import had read "
                + handedOn + ")");

        // 3. Started again on the same state directory, the same publication imported again.
        try (Service second = Service.start("crash-second", crashBroker, state)) {
            String location = second.postImport(publication);
            JsonPath done = second.awaitImport(location, Duration.ofSeconds(120));
            assertEquals(figures, done.getLong("rows.published"), "figures published by the second attempt");
            // read_committed, as the streams read: a transaction the first service left open holds back what
            // follows it on its partitions until the broker aborts it
            long[] records = awaitFeedRecords(crashBroker, committed, firstPublished + figures);
            long beforeCommit = records[0];
            long all = records[1];
            // The second service reads every record after the offsets the first one had committed, once.
            awaitCounted(second, "dtm_events_received_total", all - beforeCommit, Duration.ofSeconds(120));
            assertSame(clean, awaitSettled(second, crashBroker, Duration.ofSeconds(120)));
            log("same observations, indicators and model as the clean import; largest relative differences: "
                    + "observations and indicators " + LARGEST[0] + ", coefficients " + LARGEST[1] + ", inference "
                    + LARGEST[2]);

            // 4. The counters add up: of what the second service read, each figure the first one had not committed
            // is accepted, and each figure of the first attempt is a duplicate the second time.
            ScrapedMetrics counters = ScrapedMetrics.scrape();
            long received = sum(counters, "dtm_events_received_total");
            long accepted = sum(counters, "dtm_events_accepted_total");
            long duplicate = sum(counters, "dtm_events_duplicate_total");
            assertEquals(all - beforeCommit, received, "records read by the second service: those after the "
                    + "offsets the first one committed (" + beforeCommit + " before them)");
            assertEquals(received, accepted + duplicate, "received = accepted + duplicate");
            assertEquals(figures, beforeCommit + accepted, "figures accepted once: " + beforeCommit
                    + " by the first service (committed), " + accepted + " by the second");
            assertEquals(firstPublished, duplicate, "every figure of the first attempt is a duplicate the second time");
            assertEquals(0, counters.value("dtm_events_rejected_total"), "rejects in the crash run");
            assertEquals(figures, counters.value("dtm_import_rows_total", "dataset", DATASET, "outcome", "published"),
                    "dtm_import_rows_total of the second service");
        }
    }

    // --- the service as a process of its own ----------------------------------------------------------------

    /** The packaged service, run with {@code java -jar} on a free port of 127.0.0.1 against a given broker. */
    private static final class Service implements AutoCloseable {

        private static final String KEY_SALT = HexFormat.of().formatHex(random(16));

        final String name;
        final Process process;
        final int port;
        final Path log;

        private Service(String name, Process process, int port, Path log) {
            this.name = name;
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static Service start(String name, String bootstrap, Path dir) throws IOException {
            Path jar = Path.of(System.getProperty("it.app-jar", "target/quarkus-app/quarkus-run.jar"));
            assertTrue(Files.isRegularFile(jar), jar + " is missing: the integration tests run after package");
            Files.createDirectories(dir.resolve("spool"));
            Path datasets = dir.resolve("datasets.yaml");
            try (InputStream in = ImportCrashIT.class.getResourceAsStream("/imports/crash-datasets.yaml")) {
                Files.copy(Objects.requireNonNull(in, "imports/crash-datasets.yaml"), datasets,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            int port = freePort();
            Path log = work.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dkafka.bootstrap.servers=" + bootstrap,
                    "-Dquarkus.kafka-streams.application-server=127.0.0.1:" + port,
                    "-Dkafka-streams.state.dir=" + dir.resolve("state"),
                    // a member that died is out of the group after 6 s (the broker's least), not 45
                    "-Dkafka-streams.consumer.session.timeout.ms=6000",
                    "-Ddtm.imports.datasets=" + datasets,
                    "-Ddtm.imports.spool-dir=" + dir.resolve("spool"),
                    "-Ddtm.security.api-keys.it.hash=" + keyHash(),
                    "-Ddtm.security.api-keys.it.roles=publisher,reader",
                    "-Ddtm.alerts.secret-keys=it:" + Base64.getEncoder().encodeToString(random(32)),
                    "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Service service = new Service(name, builder.start(), port, log);
            services.add(service);
            RestAssured.baseURI = "http://127.0.0.1";
            RestAssured.port = port;
            service.awaitReady();
            log(name + ": ready on port " + port + " (pid " + service.process.pid() + ")");
            return service;
        }

        /** {@code sha256:<salt>:<hex SHA-256 of "salt:key">}, as {@code dtm.security.api-keys.<p>.hash} takes it. */
        private static String keyHash() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest((KEY_SALT + ":" + API_KEY).getBytes(StandardCharsets.UTF_8));
                return "sha256:" + KEY_SALT + ":" + HexFormat.of().formatHex(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void awaitReady() {
            try {
                Awaitility.await(name + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions().until(() -> {
                            if (!process.isAlive()) {
                                throw new AssertionError(name + " exited with " + process.exitValue());
                            }
                            return given().get("/q/health/ready").statusCode() == 200;
                        });
            } catch (ConditionTimeoutException e) {
                fail(name + " is not ready after 120 s (alive: " + process.isAlive() + "); its log ends with:\n"
                        + tail());
            }
            // ready once its stores answer queries: the streams have their partitions and are running, so that the
            // first attempt is killed while they work through the import, not before they start
            Awaitility.await(name + " streams running").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> api().get("/api/v1/indicators").statusCode() == 200);
        }

        RequestSpecification api() {
            return given().baseUri("http://127.0.0.1").port(port).header("Authorization", "Bearer " + API_KEY);
        }

        /** Posts the publication; answers the import's location. */
        String postImport(Path file) {
            return api().contentType("text/csv").body(file.toFile()).queryParam("dataset", DATASET)
                    .queryParam("vintage", VINTAGE.toString()).post("/api/v1/imports")
                    .then().statusCode(202).extract().header("Location");
        }

        JsonPath importState(String location) {
            return api().get(location).then().statusCode(200).extract().jsonPath();
        }

        /** Waits for the import to be done (a failed one fails the test with its error). */
        JsonPath awaitImport(String location, Duration timeout) {
            AtomicReference<JsonPath> last = new AtomicReference<>();
            try {
                Awaitility.await(name + " import done").atMost(timeout).pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            JsonPath state = importState(location);
                            last.set(state);
                            assertFalse("failed".equals(state.getString("state")),
                                    () -> "the import failed: " + state.getString("error"));
                            return "done".equals(state.getString("state"));
                        });
            } catch (ConditionTimeoutException e) {
                fail("the import is not done after " + timeout + ": " + (last.get() == null ? "no state"
                        : last.get().prettify()), e);
            }
            log(name + ": import done, " + last.get().getLong("rows.published") + " figures published");
            return last.get();
        }

        /** SIGKILL to the java process itself; returns once it is gone. */
        void kill() throws InterruptedException {
            long pid = process.pid();
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " (pid " + pid + ") still runs after SIGKILL");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), name + " is gone");
            assertEquals(137, process.exitValue(), name + " ended by SIGKILL (128 + 9)");
            log(name + ": killed (pid " + pid + ")");
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        /** SIGTERM, then SIGKILL after 30 s. */
        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String broker() {
        KafkaClusterTestKit broker = KafkaBroker.startSeparate();
        brokers.add(broker);
        return broker.bootstrapServers();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return b;
    }

    // --- waits ----------------------------------------------------------------------------------------------

    /** Waits until the running import has handed a third of the figures on, and answers how many. */
    /**
     * Waits until the running import has read a third of the figures and the streams have taken some of them in (or,
     * should they lag far behind, until it has read two thirds), and answers how many it has read.
     */
    private static long awaitPartlyPublished(Service service, String location) {
        AtomicLong published = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        Awaitility.await("a third of the import published").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    JsonPath state = service.importState(location);
                    published.set(state.getLong("rows.published"));
                    assertEquals("running", state.getString("state"), "the import ended before it could be killed "
                            + "(" + published + " of " + figures + " figures read)");
                    if (published.get() < figures / 3) {
                        return false;
                    }
                    accepted.set(sum(ScrapedMetrics.scrape(), "dtm_events_accepted_total"));
                    return accepted.get() >= 500 || published.get() >= 2L * figures / 3;
                });
        log(service.name + ": " + published + " figures read by the import, " + accepted
                + " accepted by the streams");
        return published.get();
    }

    private static void awaitCounted(Service service, String counter, long expected, Duration timeout) {
        AtomicLong seen = new AtomicLong();
        try {
            Awaitility.await(counter).atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                seen.set(sum(ScrapedMetrics.scrape(), counter));
                return seen.get() >= expected;
            });
        } catch (ConditionTimeoutException e) {
            fail(counter + " is " + seen + " after " + timeout + ", not " + expected + "; " + service.name
                    + "'s log ends with:\n" + service.tail(), e);
        }
        log(service.name + ": " + counter + " " + seen);
    }

    /**
     * Waits until the pipeline is at rest: the ends of the output topics, the streams' committed offsets and the
     * model's latest snapshot unchanged for {@link #SETTLED}; then reads what it produced.
     */
    private static Outcome awaitSettled(Service service, String bootstrap, Duration timeout) throws Exception {
        AtomicReference<String> last = new AtomicReference<>("");
        AtomicLong since = new AtomicLong(System.nanoTime());
        try (Admin admin = admin(bootstrap)) {
            Awaitility.await("pipeline at rest").atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                String now = restSignature(service, admin);
                if (!now.equals(last.getAndSet(now))) {
                    since.set(System.nanoTime());
                }
                return System.nanoTime() - since.get() >= SETTLED.toNanos();
            });
        } catch (ConditionTimeoutException e) {
            fail("the pipeline is still busy after " + timeout + ": " + last.get() + "; " + service.name
                    + "'s log ends with:\n" + service.tail(), e);
        }
        log(service.name + ": at rest (" + last.get() + ")");
        return new Outcome(latest(bootstrap, OBSERVATIONS), latest(bootstrap, INDICATORS), model(service));
    }

    private static String restSignature(Service service, Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(APPLICATION_ID)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long committed = offsets.values().stream().filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset)
                .sum();
        Map<TopicPartition, OffsetSpec> outputs = new HashMap<>();
        for (String topic : List.of(OBSERVATIONS, INDICATORS, MODEL)) {
            for (int p = 0; p < 3; p++) {
                outputs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        long ends = admin.listOffsets(outputs).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        JsonNode model = model(service);
        return "output ends " + ends + ", committed " + committed + ", model snapshot "
                + (model == null ? "none" : model.path("seq").asText());
    }

    // --- what the pipeline produced --------------------------------------------------------------------------

    /**
     * The observations and indicator values (latest per key, tombstones removed; an indicator value without the
     * time it was computed) and the model's latest estimates and stability (without the change the last event
     * caused, which depends on which event came last).
     */
    record Outcome(Map<String, JsonNode> observations, Map<String, JsonNode> indicators, JsonNode model) {
    }

    private static void assertSame(Outcome clean, Outcome other) {
        List<String> problems = new ArrayList<>();
        compareMaps("observations", clean.observations(), other.observations(), problems);
        compareMaps("indicators", clean.indicators(), other.indicators(), problems);
        if (other.model() == null) {
            problems.add("model: no snapshot");
        } else {
            compare("model", modelPart(clean.model()), modelPart(other.model()), problems);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " difference(s) from the clean import, the first: "
                    + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))));
        }
    }

    private static void compareMaps(String what, Map<String, JsonNode> expected, Map<String, JsonNode> actual,
            List<String> problems) {
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty()) {
            problems.add(what + ": " + missing.size() + " of " + expected.size() + " keys missing, e.g. "
                    + missing.iterator().next());
        }
        if (!extra.isEmpty()) {
            problems.add(what + ": " + extra.size() + " keys too many, e.g. " + extra.iterator().next());
        }
        for (Map.Entry<String, JsonNode> e : new TreeMap<>(expected).entrySet()) {
            JsonNode other = actual.get(e.getKey());
            if (other != null) {
                compare(what + " " + e.getKey(), e.getValue(), other, problems);
            }
        }
    }

    /** Compares two JSON trees, numbers to {@link #TOLERANCE}. */
    private static void compare(String where, JsonNode expected, JsonNode actual, List<String> problems) {
        if (expected.isNumber() && actual.isNumber()) {
            double a = expected.asDouble();
            double b = actual.asDouble();
            boolean model = where.startsWith("model");
            boolean inference = model && !where.endsWith(".coefficient");
            double difference = Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
            int kind = inference ? 2 : model ? 1 : 0;
            LARGEST[kind] = Math.max(LARGEST[kind], difference);
            if (difference > (inference ? INFERENCE_TOLERANCE : TOLERANCE)) {
                problems.add(where + ": " + b + " instead of " + a);
            }
        } else if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!expected.has(name) || !actual.has(name)) {
                    problems.add(where + "." + name + ": present in one run only");
                } else {
                    compare(where + "." + name, expected.get(name), actual.get(name), problems);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                compare(where + "[" + i + "]", expected.get(i), actual.get(i), problems);
            }
        } else if (!expected.equals(actual)) {
            problems.add(where + ": " + actual + " instead of " + expected);
        }
    }

    private static JsonNode modelPart(JsonNode snapshot) {
        ObjectNode part = JSON.createObjectNode();
        JsonNode estimates = snapshot.path("estimates").deepCopy();
        for (JsonNode estimate : estimates) {
            for (JsonNode term : estimate.path("terms")) {
                ((ObjectNode) term).remove("change");
            }
        }
        part.set("estimates", estimates);
        part.set("stability", snapshot.path("stability"));
        return part;
    }

    private static void assertModelEstimated(JsonNode snapshot) {
        assertTrue(snapshot != null, "the clean run has a model snapshot");
        for (JsonNode estimate : snapshot.path("estimates")) {
            assertEquals("OK", estimate.path("status").asText(), "estimate " + estimate);
            assertEquals(4, estimate.path("terms").size(), "terms of " + estimate.path("estimate") + " (drivers: ln_gdp, infra, ln_ict_lag, rcep)");
        }
    }

    /** The latest snapshot of the drivers model, or {@code null} while there is none. */
    private static JsonNode model(Service service) throws IOException {
        var response = service.api().get("/api/v1/models/drivers");
        if (response.statusCode() == 404) {
            return null;
        }
        assertEquals(200, response.statusCode(), () -> "GET /api/v1/models/drivers: " + response.asString());
        return JSON.readTree(response.asByteArray());
    }

    /** A compacted topic's content: the latest value per key, tombstones removed (read_committed). */
    private static Map<String, JsonNode> latest(String bootstrap, String topic) throws IOException {
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            read(consumer, partitions, Map.of(), (r, before) -> latest.put(r.key(), r.value()));
        }
        Map<String, JsonNode> content = new HashMap<>();
        for (Map.Entry<String, byte[]> e : latest.entrySet()) {
            if (e.getValue() != null) {
                JsonNode value = JSON.readTree(e.getValue());
                if (value instanceof ObjectNode object) {
                    object.remove("computedAt");
                }
                content.put(e.getKey(), value);
            }
        }
        return content;
    }

    /**
     * The records on the feed topics (read_committed: what the streams read): {@code [before, all]}, where
     * {@code before} counts those at offsets below {@code committed}.
     */
    private static long[] feedRecords(String bootstrap, Map<TopicPartition, Long> committed) {
        long[] counts = new long[2];
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = FEED_TOPICS.stream().flatMap(t -> partitions(consumer, t).stream())
                    .toList();
            read(consumer, partitions, committed, (r, before) -> {
                counts[1]++;
                if (before) {
                    counts[0]++;
                }
            });
        }
        return counts;
    }

    /** Waits until the feed topics hold {@code expected} records (never more), and answers {@code [before, all]}. */
    private static long[] awaitFeedRecords(String bootstrap, Map<TopicPartition, Long> committed, long expected) {
        AtomicReference<long[]> last = new AtomicReference<>();
        try {
            Awaitility.await("records on the feed topics").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        last.set(feedRecords(bootstrap, committed));
                        assertTrue(last.get()[1] <= expected, () -> last.get()[1] + " records on the feed topics, "
                                + "more than both attempts published (" + expected + "): doubled by the kill");
                        return last.get()[1] == expected;
                    });
        } catch (ConditionTimeoutException e) {
            fail("the feed topics hold " + last.get()[1] + " records readable (read_committed) after 60 s, not the "
                    + expected + " both attempts published: lost, or held back by a transaction left open", e);
        }
        log("feed topics: " + last.get()[1] + " records, " + last.get()[0] + " before the offsets the first "
                + "service committed");
        return last.get();
    }

    private interface RecordSink {
        void accept(ConsumerRecord<String, byte[]> record, boolean beforeCommitted);
    }

    private static void read(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> committed, RecordSink sink) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                fail("could not read " + partitions + " to " + end + " within 60 s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                sink.accept(r, r.offset() < committed.getOrDefault(tp, 0L));
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** The offsets of the feed topics the streams application had committed (after the kill: what it keeps). */
    private static Map<TopicPartition, Long> committedFeedOffsets(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .forEach((tp, om) -> {
                        if (om != null && FEED_TOPICS.contains(tp.topic())) {
                            offsets.put(tp, om.offset());
                        }
                    });
            return offsets;
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static long sum(ScrapedMetrics metrics, String counter) {
        return Math.round(FEEDS.stream().mapToDouble(f -> metrics.value(counter, "feed", f)).sum());
    }

    // --- the publication --------------------------------------------------------------------------------------

    /**
     * A generated SDMX-CSV 2.0 publication of 112 economies over 1995–2024 (20 205 figures): GDP, ICT and DDS exports (millions,
     * UNIT_MULT 6), internet users, intelligent computing power and the DSTRI of each, RCEP's entry into force for
     * its 15 members, and world DDS exports. DDS exports follow the drivers model's equation with noise, so that
     * every estimate is identified. Fixed seed.
     */
    static final class Publication {

        static final List<String> RCEP = List.of("AUS", "BRN", "KHM", "CHN", "IDN", "JPN", "KOR", "LAO", "MYS",
                "MMR", "NZL", "PHL", "SGP", "THA", "VNM");
        static final int ECONOMIES = 112;
        static final int FIRST_YEAR = 1995;
        static final int LAST_YEAR = 2024;

        /** Writes the file and answers the number of figures in it. */
        static int write(Path file) throws IOException {
            Random random = new Random(15);
            List<String> economies = new ArrayList<>(RCEP);
            new TreeSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3)).stream()
                    .filter(c -> !RCEP.contains(c)).limit(ECONOMIES - RCEP.size()).forEach(economies::add);
            int years = LAST_YEAR - FIRST_YEAR + 1;
            double[] world = new double[years];
            int count = 0;
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MULT,"
                        + "OBS_STATUS\n");
                for (String economy : economies) {
                    double gdpLevel = 22 + 4 * random.nextDouble();
                    double ictLevel = 17 + 3 * random.nextDouble();
                    double computeLevel = -3 + 2 * random.nextDouble();
                    double dstriLevel = 0.05 + 0.5 * random.nextDouble();
                    double internetStart = 1995 + 20 * random.nextDouble();
                    double fixedEffect = -8 + random.nextGaussian();
                    Map<String, StringBuilder> series = new java.util.LinkedHashMap<>();
                    for (String code : List.of("GDP", "ICTX", "INET", "COMPUTE", "DSTRI", "DDSX")) {
                        series.put(code, new StringBuilder());
                    }
                    double ictBefore = ictLevel - 0.06;
                    for (int y = 0; y < years; y++) {
                        int year = FIRST_YEAR + y;
                        double lnGdp = gdpLevel + 0.04 * y + 0.03 * random.nextGaussian();
                        double lnIct = ictLevel + 0.06 * y + 0.05 * random.nextGaussian();
                        double lnCompute = computeLevel + 0.15 * y + 0.05 * random.nextGaussian();
                        double dstri = clamp(dstriLevel - 0.003 * y + 0.01 * random.nextGaussian(), 0.01, 0.95);
                        double internet = clamp(100 / (1 + Math.exp(-(year - internetStart) / 4)), 0.1, 99.9);
                        double rcep = RCEP.contains(economy) && year >= 2022 ? 1 : 0;
                        double lnDds = fixedEffect + 0.9 * lnGdp + 0.5 * (1 - dstri) + 0.8 * internet / 100
                                + 0.3 * ictBefore + 0.2 * lnCompute + 0.05 * rcep + 0.05 * random.nextGaussian();
                        ictBefore = lnIct;
                        String gdp = fixed(Math.exp(lnGdp) / 1e6, 4);
                        String dds = fixed(Math.exp(lnDds) / 1e6, 4);
                        world[y] += Double.parseDouble(dds);
                        row(series.get("GDP"), economy, "GDP", year, gdp, "6");
                        row(series.get("ICTX"), economy, "ICTX", year, fixed(Math.exp(lnIct) / 1e6, 4), "6");
                        row(series.get("INET"), economy, "INET", year, fixed(internet, 3), "");
                        row(series.get("COMPUTE"), economy, "COMPUTE", year,
                                fixed(Math.max(0.001, Math.exp(lnCompute)), 6), "");
                        row(series.get("DSTRI"), economy, "DSTRI", year, fixed(dstri, 4), "");
                        row(series.get("DDSX"), economy, "DDSX", year, dds, "6");
                        count += 6;
                    }
                    for (StringBuilder rows : series.values()) {
                        out.write(rows.toString());
                    }
                    if (RCEP.contains(economy)) {
                        StringBuilder rows = new StringBuilder();
                        row(rows, economy, "RCEP", 2022, "0", "");
                        out.write(rows.toString());
                        count++;
                    }
                }
                StringBuilder rows = new StringBuilder();
                for (int y = 0; y < years; y++) {
                    row(rows, "WLD", "DDSX", FIRST_YEAR + y, fixed(world[y], 4), "6");
                    count++;
                }
                out.write(rows.toString());
            }
            return count;
        }

        private static void row(StringBuilder out, String area, String code, int year, String value, String mult) {
            out.append("datastructure,DTM.TEST:DS_CRASH(1.0),I,").append(area).append(',').append(code).append(',')
                    .append(year).append(',').append(value).append(',').append(mult).append(",A\n");
        }

        private static String fixed(double value, int decimals) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }

        private static double clamp(double value, double low, double high) {
            return Math.max(low, Math.min(high, value));
        }
    }

    static {
        // the service answers slowly while it is restoring its state: keep RestAssured's waits bounded
        RestAssured.config = RestAssured.config().httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 5_000).setParam("http.socket.timeout", 30_000));
    }
}
