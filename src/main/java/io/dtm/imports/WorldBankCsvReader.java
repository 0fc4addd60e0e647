package io.dtm.imports;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The World Bank's bulk CSV ({@code API_<indicator>_DS2_*.csv}): a preamble ({@code Data Source},
 * {@code Last Updated Date}, the vintage), then a header {@code Country Name, Country Code, Indicator Name,
 * Indicator Code, 1960, …} and one row per economy with one cell per year. Quoted or not, BOM, blank lines and
 * trailing commas are all taken.
 */
final class WorldBankCsvReader implements FigureReader {

    @Override
    public void read(InputStream in, FigureSink sink) throws IOException {
        try (Csv.Rows rows = new Csv.Rows(Csv.utf8(in), ',')) {
            int area = -1;
            int code = -1;
            List<Integer> yearColumns = new ArrayList<>();
            List<String> years = new ArrayList<>();
            Csv.Row row;
            while ((row = rows.next()) != null) {
                if (row.blank()) {
                    continue;
                }
                if (area < 0) {
                    String key = row.cell(0);
                    if (key.equalsIgnoreCase("Last Updated Date")) {
                        if (Csv.date(row.cell(1)) == null) {
                            throw new ImportException("World Bank bulk CSV: line " + row.line()
                                    + ": Last Updated Date '" + Csv.clip(row.cell(1))
                                    + "' is neither YYYY-MM-DD nor M/D/YYYY");
                        }
                        sink.vintage(Csv.date(row.cell(1)));
                    } else if (key.equalsIgnoreCase("Country Name")) {
                        for (int i = 0; i < row.cells().size(); i++) {
                            String name = row.cell(i);
                            if (name.equalsIgnoreCase("Country Code")) {
                                area = i;
                            } else if (name.equalsIgnoreCase("Indicator Code")) {
                                code = i;
                            } else if (name.matches("\\d{4}")) {
                                yearColumns.add(i);
                                years.add(name);
                            }
                        }
                        if (area < 0 || code < 0 || years.isEmpty()) {
                            throw new ImportException("World Bank bulk CSV: line " + row.line()
                                    + ": the header needs 'Country Code', 'Indicator Code' and year columns");
                        }
                    }
                    continue;
                }
                String raw = row.raw(',');
                String country = row.cell(area);
                String indicator = row.cell(code);
                if (country.isEmpty() || indicator.isEmpty()) {
                    sink.reject(new Reject(row.line(), raw, "no Country Code or Indicator Code"));
                    continue;
                }
                for (int i = 0; i < yearColumns.size(); i++) {
                    String cell = row.cell(yearColumns.get(i));
                    BigDecimal value;
                    try {
                        value = Csv.number(cell);
                    } catch (NumberFormatException e) {
                        sink.reject(new Reject(row.line(), raw, "year " + years.get(i) + ": '" + Csv.clip(cell)
                                + "' is not a number"));
                        continue;
                    }
                    sink.figure(Figure.of(row.line(), indicator, country, years.get(i), value, raw));
                }
            }
            if (area < 0) {
                throw new ImportException("not a World Bank bulk CSV: no 'Country Name, Country Code, …' header");
            }
        }
    }
}
