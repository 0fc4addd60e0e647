package io.dtm.imports;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the CSV readers share: UTF-8 with or without a BOM, rows with their line numbers, missing-value tokens. */
final class Csv {

    /** The most characters of a row kept as its raw text in a reject. */
    static final int MAX_RAW = 256;
    /** The tokens publishers write for a missing value (compared case-insensitively, trimmed). */
    static final Set<String> MISSING = Set.of("", "..", "nan", "#n/a", "null", "n/a");
    private static final CsvMapper MAPPER = new CsvMapper();
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("M/d/uuuu");

    private Csv() {
    }

    /** A UTF-8 reader over {@code in}, past a byte order mark if there is one. */
    /**
     * The first line of {@code reader}, leaving the reader where it was (at most 64 KiB ahead).
     *
     * @throws ImportException with {@code empty} when there is none
     */
    static String peekFirstLine(BufferedReader reader, String empty) throws IOException {
        reader.mark(1 << 16);
        String first = reader.readLine();
        reader.reset();
        if (first == null) {
            throw new ImportException(empty);
        }
        return first;
    }

    static BufferedReader utf8(InputStream in) throws IOException {
        PushbackInputStream pushback = new PushbackInputStream(in, 3);
        byte[] head = new byte[3];
        int n = pushback.readNBytes(head, 0, 3);
        boolean bom = n == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
        if (!bom && n > 0) {
            pushback.unread(head, 0, n);
        }
        return new BufferedReader(new InputStreamReader(pushback, StandardCharsets.UTF_8), 1 << 16);
    }

    /** One row: the line it starts on and its cells. */
    record Row(long line, List<String> cells) {

        /** The cell at {@code index}, trimmed, or "" past the row's end. */
        String cell(int index) {
            return index >= 0 && index < cells.size() ? cells.get(index).trim() : "";
        }

        /** Whether every cell is empty (a blank line, or one of separators only). */
        boolean blank() {
            return cells.stream().allMatch(c -> c.isBlank());
        }

        /** The row written back as CSV, at most {@value #MAX_RAW} characters. */
        String raw(char separator) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < cells.size() && text.length() <= MAX_RAW; i++) {
                if (i > 0) {
                    text.append(separator);
                }
                String c = cells.get(i);
                boolean quote = c.indexOf(separator) >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0;
                text.append(quote ? '"' + c.replace("\"", "\"\"") + '"' : c);
            }
            return clip(text.toString());
        }
    }

    /** Rows of a CSV text read one at a time; holds one row. */
    static final class Rows implements AutoCloseable {

        private final CsvParser parser;
        private final char separator;

        Rows(Reader reader, char separator) throws IOException {
            this.separator = separator;
            this.parser = (CsvParser) MAPPER.getFactory().createParser(reader);
            parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(separator).withoutHeader());
            parser.enable(CsvParser.Feature.ALLOW_TRAILING_COMMA);
        }

        char separator() {
            return separator;
        }

        /** The next row, or {@code null} at the end. */
        Row next() throws IOException {
            JsonToken token = parser.nextToken();
            while (token != null && token != JsonToken.START_ARRAY) {
                token = parser.nextToken();
            }
            if (token == null) {
                return null;
            }
            long line = parser.currentTokenLocation().getLineNr();
            List<String> cells = new ArrayList<>();
            while ((token = parser.nextToken()) != null && token != JsonToken.END_ARRAY) {
                if (cells.isEmpty()) {
                    line = parser.currentTokenLocation().getLineNr();
                }
                String text = parser.getValueAsString();
                cells.add(text == null ? "" : text);
            }
            return new Row(line, cells);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    static String clip(String text) {
        return text.length() <= MAX_RAW ? text : text.substring(0, MAX_RAW);
    }

    /** Whether a cell is one of the missing-value tokens. */
    static boolean missing(String cell) {
        return cell == null || MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * A cell's number, or {@code null} when it is missing.
     *
     * @throws NumberFormatException when it is neither a number nor missing
     */
    static BigDecimal number(String cell) {
        if (missing(cell)) {
            return null;
        }
        return new BigDecimal(cell.trim());
    }

    /** A release date written ISO ({@code 2026-02-24}) or US style ({@code 7/13/2026}), or {@code null}. */
    static LocalDate date(String text) {
        String t = text == null ? "" : text.trim();
        try {
            return LocalDate.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(t, US_DATE);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
