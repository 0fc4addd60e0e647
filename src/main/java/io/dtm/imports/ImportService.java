package io.dtm.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.SeriesKey;
import io.dtm.ingest.EventDecoder;
import io.dtm.ingest.EventTooLargeException;
import io.dtm.ingest.IngestService;
import io.dtm.ingest.KafkaUnavailableException;
import io.dtm.metrics.ImportMetrics;
import io.dtm.streams.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Runs imports of publications: a file is written to disk as it arrives, its dataset told and its vintage checked,
 * then read on a worker of its own (one import at a time) and each figure sent as a CloudEvent through the same
 * ingest path as {@code POST /api/v1/events} (validation, dedup, vintages, dead letters, counters), in batches. An
 * event the ingest refuses is dead-lettered and counted there, and the rest of its batch is sent again without it;
 * a row that cannot be read goes to the dead-letter topic with its line, raw text and reason
 * ({@code dtm.source.topic} {@code import:<dataset>}, reason {@code rejected-row}).
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final Pattern BATCH_INDEX = Pattern.compile("^/(\\d+)(/|$)");
    private static final int MIN_ROWS_FOR_SHARE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a request asks for, before anything is read. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final Datasets datasets;
    private final Importer importer;
    private final IngestService ingest;
    private final ImportsConfig config;
    private final ImportMetrics metrics;
    private final Clock clock;
    private final DeadLetters deadLetters;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dtm-import");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    ImportService(IngestService ingest, ImportsConfig config, MeterRegistry registry, Clock clock,
            DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.datasets = Datasets.load(config.datasets());
        this.importer = new Importer(datasets);
        this.ingest = ingest;
        this.config = config;
        this.metrics = new ImportMetrics(registry, datasets.all().stream().map(Datasets.Dataset::id).toList());
        this.clock = clock;
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * The state of one import, as {@code GET /api/v1/imports/{id}} shows it.
     *
     * @param derivedFrom the vintage of the later release the file was cut from (a replay), or {@code null}
     */
    public record Status(String id, String dataset, LocalDate vintage, String state, Map<String, Long> rows,
            Double rowsPerSecond, Double percent, String eta, List<Reject> rejects, Long ingestRejected,
            String error, Instant started, Instant ended, LocalDate derivedFrom) {
    }

    /**
     * Writes {@code body} to disk (at most {@code dtm.imports.max-file-bytes}), tells its dataset (the one named, or
     * from its content) and queues it.
     *
     * @throws Refused   when the dataset cannot be told, is unknown, or the file has no vintage and none was named
     * @throws TooLarge  when the body passes the limit
     */
    public Status submit(InputStream body, String datasetId, LocalDate vintage) throws IOException, Refused,
            TooLarge {
        return submit(body, datasetId, vintage, null);
    }

    /**
     * {@link #submit(InputStream, String, LocalDate)} of a file cut from the later release of vintage
     * {@code derivedFrom} (see {@link Importer#run(Datasets.Dataset, InputStream, LocalDate, LocalDate,
     * java.util.function.Consumer, java.util.function.Consumer, java.util.function.Consumer)}).
     *
     * @throws Refused also when {@code derivedFrom} is not after the vintage named
     */
    public Status submit(InputStream body, String datasetId, LocalDate vintage, LocalDate derivedFrom)
            throws IOException, Refused, TooLarge {
        if (derivedFrom != null && vintage != null && !derivedFrom.isAfter(vintage)) {
            throw new Refused("derivedFrom (" + derivedFrom + ") names the later release the file was cut from: it "
                    + "must be after the vintage (" + vintage + ")");
        }
        return queue(body, datasetId, vintage, derivedFrom).status();
    }

    /**
     * Imports {@code body} as {@link #submit} does (same checks, same queue, same report in {@code GET
     * /api/v1/imports}) and waits for it to end, at most {@code timeout}.
     *
     * @return the import's final state ({@code done} or {@code failed})
     * @throws TimeoutException when it has not ended within {@code timeout} (it goes on)
     */
    public Status importAndWait(InputStream body, String datasetId, LocalDate vintage, Duration timeout)
            throws IOException, Refused, TooLarge, InterruptedException, TimeoutException {
        Run run = queue(body, datasetId, vintage, null);
        try {
            run.future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // the run keeps its own failure in its state
        }
        return run.status();
    }

    /** The dataset {@code id} of datasets.yaml. */
    public Optional<Datasets.Dataset> dataset(String id) {
        return datasets.dataset(id);
    }

    private Run queue(InputStream body, String datasetId, LocalDate vintage, LocalDate derivedFrom)
            throws IOException, Refused, TooLarge {
        Path file = Files.createTempFile(config.spoolDir().orElse(Path.of(System.getProperty("java.io.tmpdir"))),
                "dtm-import-", ".part");
        try {
            long size = copyAtMost(body, file, config.maxFileBytes());
            Datasets.Dataset dataset;
            try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                dataset = datasetId != null ? datasets.dataset(datasetId).orElseThrow(() -> new Refused(
                        "no dataset '" + io.dtm.api.Problems.echo(datasetId) + "'; known: " + datasets.all().stream()
                                .map(Datasets.Dataset::id).sorted().toList())) : importer.detect(in);
            } catch (ImportException e) {
                throw new Refused(e.getMessage());
            }
            Datasets.Format format = dataset.formatOf();
            if (vintage == null && format != Datasets.Format.WB_BULK_CSV && format != Datasets.Format.WB_API_JSON) {
                throw new Refused("a " + format.label() + " file carries no vintage: name one (?vintage=YYYY-MM-DD)");
            }
            Run run = new Run(UUID.randomUUID().toString(), dataset, vintage, derivedFrom, file, size);
            runs.put(run.id, run);
            forget();
            run.future = worker.submit(() -> run.execute());
            return run;
        } catch (IOException | Refused | TooLarge | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The body passed {@code dtm.imports.max-file-bytes}. */
    public static final class TooLarge extends Exception {
        TooLarge(long limit) {
            super("the file is larger than " + limit + " bytes (dtm.imports.max-file-bytes)");
        }
    }

    public Optional<Status> status(String id) {
        return Optional.ofNullable(runs.get(id)).map(Run::status);
    }

    /** This instance's imports, newest first. */
    public List<Status> recent() {
        return runs.values().stream().sorted(Comparator.comparing((Run r) -> r.started).reversed())
                .map(Run::status).toList();
    }

    /** Keeps the running imports and the newest finished ones. */
    private void forget() {
        List<Run> done = runs.values().stream().filter(r -> r.ended != null)
                .sorted(Comparator.comparing((Run r) -> r.started).reversed()).toList();
        done.stream().skip(config.history()).forEach(r -> runs.remove(r.id));
    }

    private static long copyAtMost(InputStream in, Path file, long limit) throws IOException, TooLarge {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (var out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
                if (total > limit) {
                    throw new TooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    /** One import, from its queued file to its report. */
    private final class Run {

        final String id;
        final Datasets.Dataset dataset;
        final LocalDate named;
        final LocalDate derivedFrom;
        final Path file;
        final long size;
        final Instant started;
        volatile Instant ended;
        volatile Future<?> future;
        volatile String state = "running";
        volatile String error;
        volatile long bytesRead;
        volatile long ingestRejected;
        volatile Supplier<ImportReport> live = () -> null;
        volatile ImportReport report;
        private final List<ImportItem.Event> batch = new ArrayList<>();

        Run(String id, Datasets.Dataset dataset, LocalDate named, LocalDate derivedFrom, Path file, long size) {
            this.id = id;
            this.dataset = dataset;
            this.named = named;
            this.derivedFrom = derivedFrom;
            this.file = file;
            this.size = size;
            this.started = clock.instant();
        }

        void execute() {
            try (InputStream in = new Counting(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                report = importer.run(dataset, in, named, derivedFrom, this::accept, view -> live = view,
                        this::deadLetter);
                flush();
                if (tooManyRejects()) {
                    throw new ImportException(shareMessage());
                }
                state = "done";
                count(report);
            } catch (Exception e) {
                state = "failed";
                error = e instanceof ImportException || e instanceof KafkaUnavailableException
                        || e instanceof EventTooLargeException ? e.getMessage() : e.toString();
                ImportReport partial = live.get();
                if (partial != null) {
                    report = partial;
                    count(partial);
                }
                LOG.warnf("import %s of %s failed: %s", id, dataset.id(), error);
            } finally {
                ended = clock.instant();
                metrics.took(Duration.between(started, ended));
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warnf("could not delete %s: %s", file, e.getMessage());
                }
            }
        }

        private void accept(ImportItem item) {
            batch.add(item instanceof ImportItem.Event e ? e : retraction((ImportItem.Retraction) item));
            if (batch.size() >= config.batchEvents()) {
                flush();
                if (tooManyRejects()) {
                    throw new ImportException(shareMessage());
                }
            }
        }

        /**
         * The {@code dtm.retraction.v1} event of an SDMX {@code D} row: the series and period it withdraws at its
         * vintage. Its id is the withdrawn figure's with {@code /retracted}, so that it is never taken for a repeat
         * of that figure's event.
         */
        private ImportItem.Event retraction(ImportItem.Retraction r) {
            ObjectNode data = JSON.createObjectNode().put("feed", r.feed().label());
            r.feed().seriesFields(SeriesKey.parse(r.key())).forEach(data::put);
            data.put("period", r.period()).put("vintage", r.vintage().toString());
            String id = r.id() + "/retracted";
            ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", id)
                    .put("source", r.source()).put("type", EventDecoder.RETRACTION)
                    .put("datacontenttype", "application/json");
            event.set("data", data);
            return new ImportItem.Event(id, r.feed(), r.key(), r.period(), null,
                    event.toString().getBytes(StandardCharsets.UTF_8));
        }

        /** A row that could not be read, on the dead-letter topic with its line, raw text and reason. */
        private void deadLetter(Reject reject) {
            deadLetters.sendRejectedRow("import:" + dataset.id(), "line " + reject.line() + ": " + reject.reason(),
                    (dataset.id() + "|" + id).getBytes(StandardCharsets.UTF_8),
                    reject.raw().getBytes(StandardCharsets.UTF_8));
        }

        /** Sends the batch; events the ingest refuses are dead-lettered there, and the others sent again. */
        private void flush() {
            List<ImportItem.Event> pending = new ArrayList<>(batch);
            batch.clear();
            while (!pending.isEmpty()) {
                IngestService.Outcome outcome = submit(pending);
                if (outcome.ok()) {
                    return;
                }
                Set<Integer> bad = new HashSet<>();
                for (IngestService.Problem p : outcome.problems()) {
                    Matcher m = BATCH_INDEX.matcher(p.pointer() == null ? "" : p.pointer());
                    if (m.find()) {
                        bad.add(Integer.parseInt(m.group(1)));
                    }
                }
                if (bad.isEmpty()) {
                    throw new ImportException("the ingest refused a batch without naming its events: "
                            + outcome.problems());
                }
                ingestRejected += bad.size();
                List<ImportItem.Event> rest = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    if (!bad.contains(i)) {
                        rest.add(pending.get(i));
                    }
                }
                pending = rest;
            }
        }

        private IngestService.Outcome submit(List<ImportItem.Event> events) {
            StringBuilder json = new StringBuilder(events.size() * 256).append('[');
            for (int i = 0; i < events.size(); i++) {
                json.append(i == 0 ? "" : ",").append(new String(events.get(i).json(), StandardCharsets.UTF_8));
            }
            try {
                return ingest.submit(IngestService.BATCH, Map.of(),
                        json.append(']').toString().getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new ImportException("the events could not be published: " + e.getMessage());
            }
        }

        private boolean tooManyRejects() {
            ImportReport now = live.get();
            if (now == null) {
                return false;
            }
            long rejected = now.rejected() + ingestRejected;
            return now.read() >= MIN_ROWS_FOR_SHARE && rejected > config.maxRejectShare() * now.read();
        }

        private String shareMessage() {
            ImportReport now = live.get();
            return "stopped: " + (now.rejected() + ingestRejected) + " of " + now.read() + " rows rejected, more "
                    + "than dtm.imports.max-reject-share (" + config.maxRejectShare() + ")";
        }

        private void count(ImportReport r) {
            metrics.rows(dataset.id(), "published", r.published() - ingestRejected);
            metrics.rows(dataset.id(), "retracted", r.retracted());
            metrics.rows(dataset.id(), "missing", r.missing());
            metrics.rows(dataset.id(), "skipped", r.skipped());
            metrics.rows(dataset.id(), "rejected", r.rejected() + ingestRejected);
        }

        Status status() {
            ImportReport r = report != null ? report : live.get();
            Map<String, Long> rows = new LinkedHashMap<>();
            if (r != null) {
                rows.put("read", r.read());
                rows.put("published", r.published() - ingestRejected);
                rows.put("retracted", r.retracted());
                rows.put("missing", r.missing());
                rows.put("skipped", r.skipped());
                rows.put("rejected", r.rejected() + ingestRejected);
            }
            Instant until = ended != null ? ended : clock.instant();
            double seconds = Math.max(1e-3, Duration.between(started, until).toMillis() / 1000.0);
            Double rate = r == null ? null : r.read() / seconds;
            Double percent = size == 0 ? null : Math.min(100.0, 100.0 * bytesRead / size);
            String eta = null;
            if (ended == null && percent != null && percent > 0) {
                eta = Duration.ofMillis((long) (seconds * 1000 * (100 - percent) / percent)).toString();
            }
            return new Status(id, dataset.id(), r != null && r.vintage() != null ? r.vintage() : named, state, rows,
                    rate, ended != null && "done".equals(state) ? Double.valueOf(100.0) : percent, eta,
                    r == null ? List.of() : r.rejects(), ingestRejected, error, started, ended, derivedFrom);
        }

        /** Counts the bytes read, for the percentage of the file done. */
        private final class Counting extends FilterInputStream {
            Counting(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    bytesRead += n;
                }
                return n;
            }
        }
    }
}
