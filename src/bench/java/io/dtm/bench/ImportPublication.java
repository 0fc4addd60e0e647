package io.dtm.bench;

import io.dtm.imports.Datasets;
import io.dtm.imports.ImportItem;
import io.dtm.imports.ImportReport;
import io.dtm.imports.Importer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

/**
 * The publication of the import benchmark ({@code src/bench/import.sh}): a generated SDMX-CSV 2.0 file of N rows and
 * the datasets file that maps it, then the mean size of the events the importer makes of it (read here with the
 * service's own {@link Importer}, nothing sent), for the producer baseline. Prints {@code key=value} lines.
 * <p>
 * S series — the ISO 3166 economies × 120 publisher codes (the 12 EBOPS 2010 services components × EXPORT, IMPORT ×
 * partners WLD, CHN, USA, DEU, JPN, each a trade series in USD millions, UNIT_MULT 6), the first S of them — ×
 * months from 1984-01 (at most 504, to 2025-12), month after month, every row an observation of its own. S defaults
 * to N / 504 rounded up; given the same S, a file of N / 10 rows holds the same series as one of N, over a tenth of
 * the months, so that what the service keeps per series is the same at both sizes. Fixed seed.
 */
public final class ImportPublication {

    static final String DATASET = "bench-sdmx";
    static final LocalDate VINTAGE = LocalDate.of(2025, 6, 30);
    private static final List<String> CATEGORIES = List.of("SA", "SB", "SC", "SD", "SE", "SF", "SG", "SH", "SI", "SJ",
            "SK", "SL");
    private static final List<String> FLOWS = List.of("EXPORT", "IMPORT");
    private static final List<String> PARTNERS = List.of("WLD", "CHN", "USA", "DEU", "JPN");
    private static final int MONTHS = 504;
    private static final YearMonth FIRST = YearMonth.of(1984, 1);

    private ImportPublication() {
    }

    public static void main(String[] args) throws IOException {
        long rows = 0;
        long series = 0;
        Path file = null;
        Path datasets = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--series" -> series = Long.parseLong(args[i + 1]);
                case "--file" -> file = Path.of(args[i + 1]);
                case "--datasets" -> datasets = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (rows < 1 || file == null || datasets == null) {
            throw new IllegalArgumentException("usage: ImportPublication --rows N [--series S] --file CSV "
                    + "--datasets YAML");
        }
        if (series == 0) {
            series = (rows + MONTHS - 1) / MONTHS;
        }
        List<String> codes = codes();
        List<String> economies = new ArrayList<>(new TreeSet<>(
                Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3)));
        if (series > (long) economies.size() * codes.size() || rows > series * MONTHS) {
            throw new IllegalArgumentException("at most " + economies.size() * codes.size() + " series of " + MONTHS
                    + " months (every row an observation of its own)");
        }
        writeDatasets(datasets, codes);
        writeFile(file, rows, (int) series, codes, economies);
        measure(file, datasets, rows);
    }

    private static List<String> codes() {
        List<String> codes = new ArrayList<>();
        for (String category : CATEGORIES) {
            for (String flow : FLOWS) {
                for (String partner : PARTNERS) {
                    codes.add(category + "_" + flow.charAt(0) + "_" + partner);
                }
            }
        }
        return codes;
    }

    private static void writeDatasets(Path path, List<String> codes) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                # The dataset of the import benchmark, written by io.dtm.bench.ImportPublication.
                aggregates: [WLD]
                datasets:
                  - id: %s
                    format: sdmx-csv
                    source: urn:dtm:bench:import
                    description: generated trade in services by EBOPS component, partner and month (UNIT_MULT 6)
                    structure: DTM.BENCH:DS_IMPORT
                    mappings:
                """.formatted(DATASET));
        for (String code : codes) {
            String[] part = code.split("_");
            yaml.append("      - {code: ").append(code).append(", feed: trade, category: ").append(part[0])
                    .append(", flow: ").append(part[1].equals("E") ? "EXPORT" : "IMPORT").append(", partner: ")
                    .append(part[2]).append(", unit: USD_MN, scale: 0.000001}\n");
        }
        Files.writeString(path, yaml, StandardCharsets.UTF_8);
    }

    private static void writeFile(Path path, long rows, int series, List<String> codes, List<String> economies)
            throws IOException {
        Random random = new Random(15);
        double[] level = new double[series];
        double[] trend = new double[series];
        for (int s = 0; s < series; s++) {
            level[s] = 1 + 1000 * random.nextDouble();
            trend[s] = 0.002 * random.nextGaussian();
        }
        long written = 0;
        try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            out.write("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MULT,OBS_STATUS\n");
            StringBuilder line = new StringBuilder(128);
            for (int m = 0; m < MONTHS; m++) {
                for (int s = 0; s < series; s++) {
                    if (written == rows) {
                        return;
                    }
                    double value = level[s] * Math.exp(trend[s] * m + 0.02 * random.nextGaussian());
                    line.setLength(0);
                    line.append("datastructure,DTM.BENCH:DS_IMPORT(1.0),I,").append(economies.get(s / codes.size()))
                            .append(',').append(codes.get(s % codes.size())).append(',').append(FIRST.plusMonths(m))
                            .append(',').append(String.format(Locale.ROOT, "%.3f", value)).append(",6,A\n");
                    out.write(line.toString());
                    written++;
                }
            }
        }
    }

    /** Reads the file as the service will, and prints the rows and the mean bytes of an event (key and value). */
    private static void measure(Path file, Path datasetsFile, long rows) throws IOException {
        Datasets datasets = Datasets.load(datasetsFile.toString());
        long[] bytes = new long[2];
        ImportReport report;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            report = new Importer(datasets).run(datasets.dataset(DATASET).orElseThrow(), in, VINTAGE, item -> {
                ImportItem.Event event = (ImportItem.Event) item;
                bytes[0] += event.json().length + event.key().getBytes(StandardCharsets.UTF_8).length;
                bytes[1]++;
            });
        }
        if (report.published() != rows) {
            throw new IllegalStateException("the importer makes " + report.published() + " events of the " + rows
                    + " rows: " + report);
        }
        System.out.println("rows=" + rows);
        System.out.println("file-bytes=" + Files.size(file));
        System.out.println("event-bytes=" + Math.round((double) bytes[0] / bytes[1]));
        System.out.println("dataset=" + DATASET);
        System.out.println("vintage=" + VINTAGE);
    }
}
