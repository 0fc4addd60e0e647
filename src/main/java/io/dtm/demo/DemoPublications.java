package io.dtm.demo;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dtm.imports.Datasets;
import io.dtm.imports.ImportItem;
import io.dtm.imports.ImportReport;
import io.dtm.imports.Importer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real publications of the demo data ({@code src/main/resources/demo/}, listed in {@code demo/publications.csv}
 * with their dataset and vintage; provenance and licences in {@code demo/PROVENANCE.md}). {@link DemoPublisher}
 * sends each file to {@code POST /api/v1/imports} as a user does; {@link #read} maps one here, with the same
 * {@link Importer} and {@code datasets.yaml}, for the aggregates of {@link DemoDataSet} and for the tests.
 */
public final class DemoPublications {

    /** The dataset mappings the service ships, which the import endpoint uses too. */
    static final String DATASETS = "classpath:datasets.yaml";

    /**
     * One publication.
     *
     * @param file    its name in {@code demo/}
     * @param dataset its dataset in {@code datasets.yaml}
     * @param vintage the vintage to name, or {@code null} where the file carries its own
     */
    public record Publication(String file, String dataset, LocalDate vintage) {

        /** The file's bytes, from the classpath. */
        public InputStream open() {
            InputStream in = DemoPublications.class.getResourceAsStream("/demo/" + file);
            if (in == null) {
                throw new IllegalStateException("demo publication missing from the classpath: demo/" + file);
            }
            return new BufferedInputStream(in, 1 << 16);
        }
    }

    /** What the importer made of one publication. */
    public record Imported(ImportReport report, List<ImportItem.Event> events) {
    }

    private DemoPublications() {
    }

    /** Every demo publication, in the order {@code demo/publications.csv} lists them (and they are imported). */
    public static List<Publication> all() {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.ALLOW_COMMENTS);
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        try (InputStream in = DemoPublications.class.getResourceAsStream("/demo/publications.csv")) {
            if (in == null) {
                throw new IllegalStateException("demo file missing from the classpath: demo/publications.csv");
            }
            List<Publication> all = new ArrayList<>();
            try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema)
                    .readValues(in)) {
                it.forEachRemaining(row -> {
                    String vintage = row.get("vintage");
                    all.add(new Publication(row.get("file"), row.get("dataset"),
                            vintage == null || vintage.isBlank() ? null : LocalDate.parse(vintage)));
                });
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo/publications.csv", e);
        }
    }

    /** The publication of {@code dataset} (the first, where several are of one dataset). */
    public static Publication of(String dataset) {
        return all().stream().filter(p -> p.dataset().equals(dataset)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo publication of dataset " + dataset));
    }

    /** Maps one publication with the shipped dataset mappings, as the import endpoint does, without sending it. */
    public static Imported read(Publication publication) {
        Datasets datasets = Datasets.load(DATASETS);
        Datasets.Dataset dataset = datasets.dataset(publication.dataset()).orElseThrow(
                () -> new IllegalStateException("datasets.yaml has no dataset " + publication.dataset()));
        List<ImportItem.Event> events = new ArrayList<>();
        try (InputStream in = publication.open()) {
            ImportReport report = new Importer(datasets).run(dataset, in, publication.vintage(), item -> {
                if (item instanceof ImportItem.Event event) {
                    events.add(event);
                }
            });
            return new Imported(report, events);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo/" + publication.file(), e);
        }
    }
}
