package io.dtm.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.events.Period;
import io.dtm.events.SeriesKey;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads a publication with its dataset's reader and maps each figure to a CloudEvent of its feed (or to a
 * retraction), counting what it publishes, finds missing, skips and rejects. Pure: no Kafka, no Quarkus; the
 * caller decides where the items go.
 */
public final class Importer {

    /** The most rejects a report keeps (all are counted). */
    public static final int MAX_REJECTS = 100;
    /** The bytes read ahead to tell the dataset of a file. */
    static final int DETECT_BYTES = 1 << 20;
    private static final Set<String> ISO3 = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ID = 256;

    private final Datasets datasets;

    public Importer(Datasets datasets) {
        this.datasets = datasets;
    }

    /**
     * Imports one publication.
     *
     * @param vintage the vintage the caller names, or {@code null} to take the file's; a file without one is refused
     * @param out     receives each event and retraction, in file order
     * @throws ImportException when the file is not of the dataset's format, has no vintage and none was named, or
     *                         names another vintage than the caller
     */
    public ImportReport run(Datasets.Dataset dataset, InputStream in, LocalDate vintage, Consumer<ImportItem> out)
            throws IOException {
        return run(dataset, in, vintage, out, live -> { });
    }

    /**
     * {@link #run(Datasets.Dataset, InputStream, LocalDate, Consumer)}, handing {@code live} first a view of the
     * counts so far, which another thread may read while the import runs.
     */
    public ImportReport run(Datasets.Dataset dataset, InputStream in, LocalDate vintage, Consumer<ImportItem> out,
            Consumer<java.util.function.Supplier<ImportReport>> live) throws IOException {
        return run(dataset, in, vintage, out, live, reject -> { });
    }

    /**
     * {@link #run(Datasets.Dataset, InputStream, LocalDate, Consumer, Consumer)}, handing each rejected row to
     * {@code rejected} as well.
     */
    public ImportReport run(Datasets.Dataset dataset, InputStream in, LocalDate vintage, Consumer<ImportItem> out,
            Consumer<java.util.function.Supplier<ImportReport>> live, Consumer<Reject> rejected) throws IOException {
        return run(dataset, in, vintage, null, out, live, rejected);
    }

    /**
     * {@link #run(Datasets.Dataset, InputStream, LocalDate, Consumer, Consumer, Consumer)} of a file derived from a
     * later release (a replay's cut of it): each event carries the extension {@code derivedfrom} (that release's
     * vintage) and its id ends in {@code /derived-from-<that vintage>}, so that it is never taken for a figure the
     * publisher released and every model snapshot it moves says so.
     *
     * @param derivedFrom the vintage of the release the file was cut from, after the file's; {@code null} for a
     *                    release as published
     * @throws ImportException as the other forms, and when {@code derivedFrom} is not after the file's vintage
     */
    public ImportReport run(Datasets.Dataset dataset, InputStream in, LocalDate vintage, LocalDate derivedFrom,
            Consumer<ImportItem> out, Consumer<java.util.function.Supplier<ImportReport>> live,
            Consumer<Reject> rejected) throws IOException {
        Run run = new Run(dataset, vintage, derivedFrom, out, rejected);
        live.accept(run::report);
        Datasets.Format format = dataset.formatOf();
        if (vintage == null && format != Datasets.Format.WB_BULK_CSV && format != Datasets.Format.WB_API_JSON) {
            throw new ImportException("a " + format.label() + " file carries no vintage: name one (dataset "
                    + dataset.id() + ")");
        }
        datasets.reader(dataset).read(in, run);
        if (run.vintage == null) {
            throw new ImportException("the file carries no vintage and none was named (dataset " + dataset.id() + ")");
        }
        return run.report();
    }

    /**
     * Tells the dataset of a file from its content where the file names its publisher codes: the World Bank
     * indicator code (bulk CSV, API JSON), the SDMX dataflow and indicator. Reads at most {@value #DETECT_BYTES}
     * bytes ahead and leaves {@code in} where it was.
     *
     * @throws ImportException when no dataset, or more than one, fits
     */
    public Datasets.Dataset detect(BufferedInputStream in) throws IOException {
        in.mark(DETECT_BYTES);
        byte[] head = in.readNBytes(DETECT_BYTES);
        in.reset();
        Datasets.Format format = formatOf(new String(head, 0, Math.min(head.length, 4096), StandardCharsets.UTF_8));
        List<Datasets.Dataset> candidates = datasets.all().stream().filter(d -> d.formatOf() == format).toList();
        List<Datasets.Dataset> found = new ArrayList<>();
        FigureSink finder = new FigureSink() {
            @Override
            public void figure(Figure f) {
                candidates.stream().filter(d -> d.structureMatches(f.structure()) && d.mapping(f.code()).isPresent())
                        .forEach(found::add);
                if (!found.isEmpty()) {
                    throw new Found();
                }
            }

            @Override
            public void reject(Reject reject) {
            }
        };
        try {
            datasets.reader(format, candidates.isEmpty() ? null : candidates.get(0))
                    .read(new ByteArrayInputStream(head), finder);
        } catch (Found done) {
            if (found.size() > 1) {
                throw new ImportException("more than one dataset fits the file: "
                        + found.stream().map(Datasets.Dataset::id).toList() + "; name one");
            }
            return found.get(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImportException ie && head.length < DETECT_BYTES) {
                throw ie;
            }
            // a cut line at the end of the look-ahead: no code found before it
        }
        throw new ImportException("no dataset maps the publisher codes at the start of this " + format.label()
                + " file: name the dataset");
    }

    private static Datasets.Format formatOf(String head) {
        String text = head.startsWith("\uFEFF") ? head.substring(1) : head;
        String trimmed = text.stripLeading();
        String first = trimmed.lines().findFirst().orElse("").replace("\"", "").toUpperCase(Locale.ROOT);
        if (trimmed.startsWith("[")) {
            return Datasets.Format.WB_API_JSON;
        }
        if (first.startsWith("STRUCTURE") || first.startsWith("DATAFLOW")) {
            return Datasets.Format.SDMX_CSV;
        }
        if (text.contains("Country Code") && text.contains("Indicator Code")) {
            return Datasets.Format.WB_BULK_CSV;
        }
        throw new ImportException("cannot tell the dataset from the content: only World Bank (bulk CSV, API JSON) "
                + "and SDMX-CSV files name their publisher codes; name the dataset");
    }

    /** Thrown by the detecting sink once it has its answer. */
    private static final class Found extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Found() {
            super(null, null, false, false);
        }
    }

    /** One import under way: the sink its reader writes to. */
    private final class Run implements FigureSink {

        private final Datasets.Dataset dataset;
        private final LocalDate named;
        private final Consumer<ImportItem> out;
        private final Consumer<Reject> rejectSink;
        private final LocalDate derivedFrom;
        private volatile LocalDate vintage;
        private volatile long published;
        private volatile long retracted;
        private volatile long missing;
        private volatile long skipped;
        private volatile long rejected;
        private int page = 1;
        private int pages = 1;
        private long total = -1;
        private final List<Reject> rejects = new java.util.concurrent.CopyOnWriteArrayList<>();

        Run(Datasets.Dataset dataset, LocalDate named, LocalDate derivedFrom, Consumer<ImportItem> out,
                Consumer<Reject> rejectSink) {
            this.rejectSink = rejectSink;
            this.dataset = dataset;
            this.named = named;
            this.derivedFrom = derivedFrom;
            this.vintage = named;
            this.out = out;
            checkDerived(named);
        }

        /** A cut is of a later release. */
        private void checkDerived(LocalDate of) {
            if (derivedFrom != null && of != null && !derivedFrom.isAfter(of)) {
                throw new ImportException("a file derived from the release of " + derivedFrom + " has a vintage after "
                        + "it (" + of + "): derivedFrom names a later release");
            }
        }

        @Override
        public void vintage(LocalDate fileVintage) {
            if (named != null && !named.equals(fileVintage)) {
                throw new ImportException("the file's vintage is " + fileVintage + ", the import names " + named);
            }
            checkDerived(fileVintage);
            vintage = fileVintage;
        }

        @Override
        public void page(int page, int pages, int perPage, long total) {
            this.page = page;
            this.pages = pages;
            this.total = total;
        }

        @Override
        public void skip(long line) {
            skipped++;
        }

        @Override
        public void reject(Reject reject) {
            rejected++;
            rejectSink.accept(reject);
            if (rejects.size() < MAX_REJECTS) {
                rejects.add(reject);
            }
        }

        @Override
        public void figure(Figure f) {
            if (!dataset.structureMatches(f.structure())) {
                skipped++;
                return;
            }
            Datasets.Mapping mapping = dataset.mapping(f.code()).orElse(null);
            if (mapping == null || !importable(f.area(), mapping)) {
                skipped++;
                return;
            }
            if (f.value() == null && f.action() != Figure.Action.DELETE) {
                missing++;
                return;
            }
            if (vintage == null) {
                throw new ImportException("the file carries no vintage before its first figure and none was named"
                        + " (dataset " + dataset.id() + ")");
            }
            Feed feed = mapping.feedOf();
            String reporter = f.area();
            String partner = feed == Feed.TRADE ? (mapping.partner() == null ? "WLD" : mapping.partner()) : "";
            String flow = feed == Feed.TRADE ? mapping.flow() : "";
            String category = switch (feed) {
                case TRADE -> mapping.category();
                case COMPUTE -> mapping.metric();
                case POLICY -> mapping.measure();
                case MACRO -> mapping.indicator();
            };
            SeriesKey series = new SeriesKey(feed.label(), reporter, partner, flow, category);
            String key = series.toString();
            // a policy change takes effect at the end of the year, quarter or month it is of
            String period = feed == Feed.POLICY ? Period.lastDay(f.period()).map(LocalDate::toString)
                    .orElseThrow(() -> new ImportException("not a period: " + f.period())) : f.period();
            String id = id(dataset.id() + "/" + key + "/" + period + "/" + vintage
                    + (derivedFrom == null ? "" : "/derived-from-" + derivedFrom));
            if (f.action() == Figure.Action.DELETE) {
                retracted++;
                out.accept(new ImportItem.Retraction(id, dataset.source(), feed, key, period, vintage));
                return;
            }
            double value = f.value().multiply(mapping.scaleOrOne()).doubleValue();
            ObjectNode data = JSON.createObjectNode();
            feed.seriesFields(series).forEach(data::put);
            if (feed == Feed.POLICY) {
                data.put("effective", period)
                        .put("direction", mapping.direction() == null ? "NEUTRAL" : mapping.direction())
                        .put("indexValue", value);
            } else {
                data.put("period", period).put("value", value).put("unit", mapping.unit());
            }
            data.put("vintage", vintage.toString());
            ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", id)
                    .put("source", dataset.source()).put("type", feed.eventType())
                    .put("datacontenttype", "application/json");
            if (f.status() != null) {
                event.put("obsstatus", f.status());
            }
            if (derivedFrom != null) {
                event.put("derivedfrom", derivedFrom.toString());
            }
            event.set("data", data);
            try {
                out.accept(new ImportItem.Event(id, feed, key, period, f.status(), JSON.writeValueAsBytes(event)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write an event as JSON", e);
            }
            published++;
        }

        /** A publisher's area the events take: an ISO 3166 country, or an aggregate the mapping names. */
        private boolean importable(String area, Datasets.Mapping mapping) {
            if (mapping.importsAggregate(area)) {
                return true;
            }
            return !datasets.aggregate(area) && ISO3.contains(area);
        }

        ImportReport report() {
            long read = published + retracted + missing + skipped + rejected;
            return new ImportReport(dataset.id(), vintage, read, published, retracted, missing, skipped, rejected,
                    List.copyOf(rejects), page, pages, total);
        }
    }

    /** The id as written when it fits in an event's id, else a name-based UUID of it (still deterministic). */
    private static String id(String name) {
        return name.length() <= MAX_ID ? name
                : UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
