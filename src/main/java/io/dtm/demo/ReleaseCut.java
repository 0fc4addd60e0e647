package io.dtm.demo;

import io.dtm.imports.Datasets;
import io.dtm.imports.ImportException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A publication as it stood at the end of an earlier year: the same file with every figure of a later year left out,
 * byte for byte otherwise (quotes, BOM, line ends, columns kept). {@code deploy/local/replay.sh} imports such cuts
 * before the real release, so that the model can be watched moving release by release. Per format: World Bank bulk
 * CSV loses its later year columns and names the cut's vintage as its {@code Last Updated Date}; SDMX-CSV and long
 * CSV lose the rows of later periods; Epoch AI's cluster list loses the clusters first operational after the year and
 * forgets decommissions after it. Pure: no Kafka, no HTTP.
 */
public final class ReleaseCut {

    private static final Pattern YEAR = Pattern.compile("^(\\d{4})");
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("M/d/uuuu");

    private ReleaseCut() {
    }

    /**
     * The vintage of the cut at {@code year} of a release of vintage {@code release}: the same day of the next year
     * (28 February for 29 February).
     */
    public static LocalDate vintage(LocalDate release, int year) {
        return release.withYear(year + 1);
    }

    /**
     * The file {@code file} of {@code dataset} with no figure after {@code year}.
     *
     * @param vintage the cut's vintage, written into files that carry their own (World Bank bulk CSV); the others
     *                are imported with it named
     * @throws ImportException when the file is not of the dataset's format, or the format cannot be cut
     */
    public static byte[] cut(Datasets.Dataset dataset, byte[] file, int year, LocalDate vintage) {
        String text = new String(file, StandardCharsets.UTF_8);
        String out = switch (dataset.formatOf()) {
            case WB_BULK_CSV -> worldBank(text, year, vintage);
            case SDMX_CSV -> rowsUpTo(text, delimiterOf(text), "TIME_PERIOD", year);
            case LONG_CSV -> rowsUpTo(text, ',', dataset.columns().period(), year);
            case EPOCH_GPU_CLUSTERS -> clusters(text, year);
            case WB_API_JSON -> throw new ImportException("a World Bank API answer is not cut here: cut the query "
                    + "instead (date=…:" + year + ")");
        };
        return out.getBytes(StandardCharsets.UTF_8);
    }

    /** Later year columns dropped; the Last Updated Date set to {@code vintage}, in the file's own style. */
    private static String worldBank(String text, int year, LocalDate vintage) {
        List<Record> records = Record.split(text, ',');
        List<Integer> drop = null;
        boolean dated = false;
        StringBuilder out = new StringBuilder(text.length());
        for (Record r : records) {
            String first = r.value(0);
            if (drop == null && first.equalsIgnoreCase("Last Updated Date") && r.fields.size() > 1) {
                String old = r.value(1);
                r.set(1, old.contains("/") ? US_DATE.format(vintage) : vintage.toString());
                dated = true;
            } else if (drop == null && first.equalsIgnoreCase("Country Name")) {
                drop = new ArrayList<>();
                for (int i = 0; i < r.fields.size(); i++) {
                    String name = r.value(i);
                    if (name.matches("\\d{4}") && Integer.parseInt(name) > year) {
                        drop.add(i);
                    }
                }
            }
            if (drop != null) {
                r.drop(drop);
            }
            out.append(r.text());
        }
        if (drop == null || !dated) {
            throw new ImportException("not a World Bank bulk CSV: no " + (dated ? "'Country Name, …' header"
                    : "Last Updated Date"));
        }
        return out.toString();
    }

    /** The header and the rows whose {@code column} is of {@code year} or before. */
    private static String rowsUpTo(String text, char delimiter, String column, int year) {
        List<Record> records = Record.split(text, delimiter);
        if (records.isEmpty()) {
            throw new ImportException("the file is empty");
        }
        int period = records.get(0).column(column);
        StringBuilder out = new StringBuilder(text.length());
        out.append(records.get(0).text());
        for (Record r : records.subList(1, records.size())) {
            Integer of = yearOf(r.value(period));
            if (of == null || of <= year) {
                out.append(r.text());
            }
        }
        return out.toString();
    }

    /** The clusters first operational in {@code year} or before (or undated), decommissions after it forgotten. */
    private static String clusters(String text, int year) {
        List<Record> records = Record.split(text, ',');
        if (records.isEmpty()) {
            throw new ImportException("the file is empty");
        }
        Record header = records.get(0);
        int since = header.column("First Operational Date");
        int until = header.columnOrMinus1("Decommissioned date (if applicable)");
        StringBuilder out = new StringBuilder(text.length());
        out.append(header.text());
        for (Record r : records.subList(1, records.size())) {
            Integer from = yearOf(r.value(since));
            if (from != null && from > year) {
                continue;
            }
            Integer to = until < 0 ? null : yearOf(r.value(until));
            if (to != null && to > year) {
                r.set(until, "");
            }
            out.append(r.text());
        }
        return out.toString();
    }

    /** The year a period or date starts with ({@code 2019}, {@code 2019-Q2}, {@code 2019-06-30}), or null. */
    private static Integer yearOf(String period) {
        Matcher m = YEAR.matcher(period.trim());
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** SDMX-CSV's separator: the character after the first column's name. */
    private static char delimiterOf(String text) {
        String head = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String upper = head.toUpperCase(Locale.ROOT).replace("\"", "");
        for (String name : List.of("STRUCTURE", "DATAFLOW")) {
            if (upper.startsWith(name) && upper.length() > name.length()) {
                return upper.charAt(name.length());
            }
        }
        throw new ImportException("not an SDMX-CSV file: the first column is neither STRUCTURE nor DATAFLOW");
    }

    /** One CSV record as written: its raw fields (quotes kept) and its line end. */
    private static final class Record {

        private final List<String> fields;
        private final String end;
        private final char delimiter;

        private Record(List<String> fields, String end, char delimiter) {
            this.fields = fields;
            this.end = end;
            this.delimiter = delimiter;
        }

        /** The records of {@code text}; a line end inside quotes belongs to its field. */
        static List<Record> split(String text, char delimiter) {
            List<Record> records = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                    field.append(c);
                    i++;
                } else if (!quoted && c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                    i++;
                } else if (!quoted && (c == '\n' || c == '\r')) {
                    int len = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
                    fields.add(field.toString());
                    field.setLength(0);
                    records.add(new Record(fields, text.substring(i, i + len), delimiter));
                    fields = new ArrayList<>();
                    i += len;
                } else {
                    field.append(c);
                    i++;
                }
            }
            if (field.length() > 0 || !fields.isEmpty()) {
                fields.add(field.toString());
                records.add(new Record(fields, "", delimiter));
            }
            return records;
        }

        /** The value of field {@code i}: unquoted, without a BOM; empty past the end. */
        String value(int i) {
            if (i >= fields.size()) {
                return "";
            }
            String raw = fields.get(i).replace("\uFEFF", "").strip();
            if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
                raw = raw.substring(1, raw.length() - 1).replace("\"\"", "\"");
            }
            return raw;
        }

        /** Replaces field {@code i} with {@code value}, quoted if the field was. */
        void set(int i, String value) {
            boolean wasQuoted = fields.get(i).strip().startsWith("\"");
            fields.set(i, wasQuoted ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
        }

        /** Drops the fields at {@code indexes} (ascending). */
        void drop(List<Integer> indexes) {
            for (int k = indexes.size() - 1; k >= 0; k--) {
                int i = indexes.get(k);
                if (i < fields.size()) {
                    fields.remove(i);
                }
            }
        }

        int column(String name) {
            int i = columnOrMinus1(name);
            if (i < 0) {
                throw new ImportException("no column '" + name + "' in the header");
            }
            return i;
        }

        int columnOrMinus1(String name) {
            for (int i = 0; i < fields.size(); i++) {
                if (value(i).equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return -1;
        }

        String text() {
            return String.join(String.valueOf(delimiter), fields) + end;
        }
    }
}
