package io.dtm.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: the shipped datasets, fixtures from the classpath, an import into a list. */
final class Imports {

    static final Datasets DATASETS = Datasets.load("classpath:datasets.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Imports() {
    }

    /** An import's report with the items it produced. */
    record Result(ImportReport report, List<ImportItem> items) {

        List<ImportItem.Event> events() {
            return items.stream().filter(ImportItem.Event.class::isInstance).map(ImportItem.Event.class::cast)
                    .toList();
        }

        List<ImportItem.Retraction> retractions() {
            return items.stream().filter(ImportItem.Retraction.class::isInstance)
                    .map(ImportItem.Retraction.class::cast).toList();
        }
    }

    static InputStream fixture(String name) {
        InputStream in = Imports.class.getClassLoader().getResourceAsStream("publications/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        return in;
    }

    static Result run(String dataset, InputStream in, LocalDate vintage) {
        List<ImportItem> items = new ArrayList<>();
        try (in) {
            ImportReport report = new Importer(DATASETS).run(DATASETS.dataset(dataset).orElseThrow(), in, vintage,
                    items::add);
            return new Result(report, items);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(String dataset, String text, LocalDate vintage) {
        return run(dataset, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), vintage);
    }

    static JsonNode json(ImportItem.Event event) {
        try {
            return JSON.readTree(event.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data of an event. */
    static JsonNode data(ImportItem.Event event) {
        return json(event).get("data");
    }
}
