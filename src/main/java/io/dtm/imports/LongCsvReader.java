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
 * A long CSV: one figure a row, the columns named by the dataset (area, period, value and, optionally, the column
 * of the publisher's code; without one every row has the dataset's constant code). Header names match
 * case-insensitively, in any order; the separator is read from the header line.
 */
final class LongCsvReader implements FigureReader {

    private final Datasets.Columns columns;
    private final String constantCode;

    LongCsvReader(Datasets.Columns columns, String constantCode) {
        this.columns = columns;
        this.constantCode = constantCode;
    }

    @Override
    public void read(InputStream in, FigureSink sink) throws IOException {
        BufferedReader reader = Csv.utf8(in);
        String first = Csv.peekFirstLine(reader, "the CSV file is empty");
        char separator = first.indexOf(';') >= 0 && first.indexOf(',') < 0 ? ';'
                : first.indexOf('\t') >= 0 && first.indexOf(',') < 0 ? '\t' : ',';
        try (Csv.Rows rows = new Csv.Rows(reader, separator)) {
            Csv.Row header = rows.next();
            Map<String, Integer> names = new HashMap<>();
            for (int i = 0; i < header.cells().size(); i++) {
                names.putIfAbsent(header.cell(i).toLowerCase(Locale.ROOT), i);
            }
            int area = column(names, columns.area(), header);
            int period = column(names, columns.period(), header);
            int value = column(names, columns.value(), header);
            int code = columns.code() == null ? -1 : column(names, columns.code(), header);
            Csv.Row row;
            while ((row = rows.next()) != null) {
                if (row.blank()) {
                    continue;
                }
                String raw = row.raw(separator);
                String time = Period.fromPublished(row.cell(period)).orElse(null);
                if (time == null) {
                    sink.reject(new Reject(row.line(), raw, columns.period() + " '" + Csv.clip(row.cell(period))
                            + "' is not YYYY, YYYY-Qn or YYYY-MM"));
                    continue;
                }
                String areaCode = row.cell(area);
                String what = code < 0 ? constantCode : row.cell(code);
                if (areaCode.isEmpty() || what.isEmpty()) {
                    sink.reject(new Reject(row.line(), raw, "no " + columns.area()
                            + (code < 0 ? "" : " or " + columns.code())));
                    continue;
                }
                BigDecimal number;
                try {
                    number = Csv.number(row.cell(value));
                } catch (NumberFormatException e) {
                    sink.reject(new Reject(row.line(), raw, columns.value() + " '" + Csv.clip(row.cell(value))
                            + "' is not a number"));
                    continue;
                }
                sink.figure(Figure.of(row.line(), what, areaCode, time, number, raw));
            }
        }
    }

    private static int column(Map<String, Integer> names, String name, Csv.Row header) {
        Integer index = names.get(name.toLowerCase(Locale.ROOT));
        if (index == null) {
            throw new ImportException("the CSV header (line " + header.line() + ") has no column '" + name
                    + "'; it has " + Csv.clip(String.join(",", header.cells())));
        }
        return index;
    }
}
