package io.dtm.imports;

import io.dtm.events.Period;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * SDMX-CSV 1.0 ({@code DATAFLOW, dimensions…, TIME_PERIOD, OBS_VALUE, attributes…}) and 2.0 ({@code STRUCTURE,
 * STRUCTURE_ID, ACTION, …}): the header names the columns, in any order and in any case; the separator is read
 * from the first line; headers and codes written with their labels ({@code REF_AREA: Reference area},
 * {@code AUS: Australia}) are cut to the code. {@code UNIT_MULT} is applied (value × 10^mult), {@code OBS_STATUS}
 * kept, {@code ACTION} honoured (I, A, M add or replace; R replaces; D retracts).
 */
final class SdmxCsvReader implements FigureReader {

    private final String areaColumn;
    private final String codeColumn;

    /**
     * @param areaColumn the dimension that names the economy ({@code REF_AREA} unless a dataset says otherwise)
     * @param codeColumn the dimension that names what is measured ({@code INDICATOR} unless a dataset says so)
     */
    SdmxCsvReader(String areaColumn, String codeColumn) {
        this.areaColumn = areaColumn.toUpperCase(Locale.ROOT);
        this.codeColumn = codeColumn.toUpperCase(Locale.ROOT);
    }

    @Override
    public void read(InputStream in, FigureSink sink) throws IOException {
        BufferedReader reader = Csv.utf8(in);
        String first = Csv.peekFirstLine(reader, "not an SDMX-CSV file: it is empty");
        char separator = separator(first);
        try (Csv.Rows rows = new Csv.Rows(reader, separator)) {
            Csv.Row header = rows.next();
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.cells().size(); i++) {
                String name = header.cell(i);
                int colon = name.indexOf(':');
                columns.putIfAbsent((colon < 0 ? name : name.substring(0, colon)).trim().toUpperCase(Locale.ROOT),
                        i);
            }
            int structure = columns.getOrDefault("STRUCTURE_ID", columns.getOrDefault("DATAFLOW", -1));
            int action = columns.getOrDefault("ACTION", -1);
            int area = columns.getOrDefault(areaColumn, -1);
            int code = columns.getOrDefault(codeColumn, -1);
            int period = columns.getOrDefault("TIME_PERIOD", -1);
            int value = columns.getOrDefault("OBS_VALUE", -1);
            int mult = columns.getOrDefault("UNIT_MULT", -1);
            int status = columns.getOrDefault("OBS_STATUS", -1);
            if (structure < 0 || area < 0 || code < 0 || period < 0 || value < 0) {
                throw new ImportException("not an SDMX-CSV file: the header (line 1) needs STRUCTURE_ID or DATAFLOW, "
                        + areaColumn + ", " + codeColumn + ", TIME_PERIOD and OBS_VALUE; it has "
                        + Csv.clip(String.join(String.valueOf(separator), header.cells())));
            }
            Csv.Row row;
            while ((row = rows.next()) != null) {
                if (row.blank()) {
                    continue;
                }
                String raw = row.raw(separator);
                String time = Period.fromPublished(row.cell(period)).orElse(null);
                if (time == null) {
                    sink.reject(new Reject(row.line(), raw, "TIME_PERIOD '" + Csv.clip(row.cell(period))
                            + "' is not YYYY, YYYY-Qn or YYYY-MM"));
                    continue;
                }
                Figure.Action act;
                String a = action < 0 ? "I" : row.cell(action).toUpperCase(Locale.ROOT);
                switch (a) {
                    case "", "I", "A", "M" -> act = Figure.Action.UPSERT;
                    case "R" -> act = Figure.Action.REPLACE;
                    case "D" -> act = Figure.Action.DELETE;
                    default -> {
                        sink.reject(new Reject(row.line(), raw, "ACTION '" + Csv.clip(a)
                                + "' is none of I, A, M, R, D"));
                        continue;
                    }
                }
                String areaCode = code(row.cell(area));
                String indicator = code(row.cell(code));
                if (areaCode.isEmpty() || indicator.isEmpty()) {
                    sink.reject(new Reject(row.line(), raw, "no " + areaColumn + " or " + codeColumn));
                    continue;
                }
                BigDecimal number = null;
                if (act != Figure.Action.DELETE) {
                    try {
                        number = Csv.number(row.cell(value));
                        String m = mult < 0 ? "" : row.cell(mult);
                        if (number != null && !Csv.missing(m)) {
                            number = number.scaleByPowerOfTen(Integer.parseInt(m));
                        }
                    } catch (NumberFormatException e) {
                        sink.reject(new Reject(row.line(), raw, "OBS_VALUE '" + Csv.clip(row.cell(value))
                                + "' or UNIT_MULT '" + Csv.clip(mult < 0 ? "" : row.cell(mult))
                                + "' is not a number"));
                        continue;
                    }
                }
                String obsStatus = status < 0 ? "" : code(row.cell(status));
                sink.figure(new Figure(row.line(), row.cell(structure), indicator, areaCode, time, number,
                        obsStatus.isEmpty() ? null : obsStatus, act, raw));
            }
        }
    }

    /** The code of a cell written as {@code CODE: label} or {@code CODE}. */
    private static String code(String cell) {
        int colon = cell.indexOf(": ");
        return (colon < 0 ? cell : cell.substring(0, colon)).trim();
    }

    /** The first of , ; tab | outside quotes on the header line. */
    static char separator(String line) {
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ',' || c == ';' || c == '\t' || c == '|')) {
                return c;
            }
        }
        throw new ImportException("not an SDMX-CSV file: no separator (, ; tab |) on its first line");
    }
}
