package io.dtm.imports;

import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Reads and maps a publication without publishing it: every event it would send on standard output, one JSON per
 * line, and the report on standard error ({@code deploy/local/import.sh --dry-run}).
 * Usage: {@code DryRun FILE [DATASET|-] [VINTAGE|-] [DATASETS_YAML]}.
 */
public final class DryRun {

    private DryRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: DryRun FILE [DATASET|-] [VINTAGE|-] [DATASETS_YAML]");
            System.exit(2);
        }
        Datasets datasets = Datasets.load(args.length > 3 ? args[3] : "classpath:datasets.yaml");
        Importer importer = new Importer(datasets);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(Path.of(args[0])), 1 << 16)) {
            Datasets.Dataset dataset = args.length > 1 && !"-".equals(args[1])
                    ? datasets.dataset(args[1]).orElseThrow(() -> new ImportException("no dataset '" + args[1]
                            + "'; known: " + datasets.all().stream().map(Datasets.Dataset::id).sorted().toList()))
                    : importer.detect(in);
            LocalDate vintage = args.length > 2 && !"-".equals(args[2]) ? LocalDate.parse(args[2]) : null;
            ImportReport report = importer.run(dataset, in, vintage, item -> {
                if (item instanceof ImportItem.Event e) {
                    out.println(new String(e.json(), StandardCharsets.UTF_8));
                } else {
                    out.println("{\"retraction\":\"" + item.id() + "\"}");
                }
            });
            out.flush();
            System.err.printf("dry run of %s (dataset %s, vintage %s): %d rows read, %d would be published, "
                    + "%d retracted, %d missing, %d skipped, %d rejected%n", args[0], dataset.id(), report.vintage(),
                    report.read(), report.published(), report.retracted(), report.missing(), report.skipped(),
                    report.rejected());
            report.rejects().forEach(r -> System.err.println("  rejected: " + r));
        } catch (ImportException e) {
            out.flush();
            System.err.println("dry run: " + e.getMessage());
            System.exit(1);
        }
    }
}
