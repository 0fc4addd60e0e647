package io.dtm.imports;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Epoch AI's list of GPU clusters (one row a cluster) turned into a series per country: the H100-equivalents of
 * the clusters that were operational at each year end and are included in Epoch's standard analysis, summed by
 * country, from the first year a cluster is recorded to the last. It keeps a total per country and year (bounded by
 * countries × years, not by rows) and hands the figures over at the end, under the code {@value #CODE}.
 */
final class EpochGpuClustersReader implements FigureReader {

    /** The code its figures carry, which a dataset's mapping names. */
    static final String CODE = "H100_EQUIVALENTS";
    private final Map<String, String> countryNames;

    /** @param countryNames Epoch's country names that Java's English names of ISO 3166 countries do not match */
    EpochGpuClustersReader(Map<String, String> countryNames) {
        this.countryNames = new HashMap<>();
        for (String iso2 : Locale.getISOCountries()) {
            Locale country = new Locale.Builder().setRegion(iso2).build();
            this.countryNames.put(country.getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT),
                    country.getISO3Country());
        }
        countryNames.forEach((name, iso3) -> this.countryNames.put(name.toLowerCase(Locale.ROOT), iso3));
    }

    @Override
    public void read(InputStream in, FigureSink sink) throws IOException {
        // country → (year a cluster came into operation → H100e that came into operation that year)
        Map<String, TreeMap<Integer, BigDecimal>> added = new TreeMap<>();
        int firstYear = Integer.MAX_VALUE;
        int lastYear = Integer.MIN_VALUE;
        try (Csv.Rows rows = new Csv.Rows(Csv.utf8(in), ',')) {
            Csv.Row header = rows.next();
            if (header == null) {
                throw new ImportException("the Epoch GPU clusters file is empty");
            }
            Map<String, Integer> names = new HashMap<>();
            for (int i = 0; i < header.cells().size(); i++) {
                names.putIfAbsent(header.cell(i).toLowerCase(Locale.ROOT), i);
            }
            int status = column(names, "Status");
            int include = column(names, "Include in Standard Analysis");
            int country = column(names, "Country");
            int h100 = column(names, "H100 equivalents");
            int since = column(names, "First Operational Date");
            int until = names.getOrDefault("decommissioned date (if applicable)", -1);
            Csv.Row row;
            while ((row = rows.next()) != null) {
                if (row.blank()) {
                    continue;
                }
                if (!row.cell(status).equalsIgnoreCase("Existing") || !row.cell(include).equalsIgnoreCase("True")) {
                    sink.skip(row.line());
                    continue;
                }
                String raw = row.raw(',');
                String iso3 = countryNames.get(row.cell(country).toLowerCase(Locale.ROOT));
                if (iso3 == null) {
                    sink.reject(new Reject(row.line(), raw, "Country '" + Csv.clip(row.cell(country))
                            + "' is not a known country name"));
                    continue;
                }
                LocalDate from = date(row.cell(since));
                if (from == null) {
                    sink.reject(new Reject(row.line(), raw, "First Operational Date '" + Csv.clip(row.cell(since))
                            + "' is not YYYY-MM-DD"));
                    continue;
                }
                BigDecimal value;
                try {
                    value = Csv.number(row.cell(h100));
                } catch (NumberFormatException e) {
                    sink.reject(new Reject(row.line(), raw, "H100 equivalents '" + Csv.clip(row.cell(h100))
                            + "' is not a number"));
                    continue;
                }
                if (value == null) {
                    sink.figure(Figure.of(row.line(), CODE, iso3, String.valueOf(from.getYear()), null, raw));
                    continue;
                }
                LocalDate to = until < 0 ? null : date(row.cell(until));
                firstYear = Math.min(firstYear, from.getYear());
                lastYear = Math.max(lastYear, from.getYear());
                TreeMap<Integer, BigDecimal> years = added.computeIfAbsent(iso3, k -> new TreeMap<>());
                years.merge(from.getYear(), value, BigDecimal::add);
                if (to != null) {
                    // operational at the end of the years before the one it was decommissioned in
                    years.merge(to.getYear(), value.negate(), BigDecimal::add);
                }
            }
        }
        for (Map.Entry<String, TreeMap<Integer, BigDecimal>> c : added.entrySet()) {
            BigDecimal total = BigDecimal.ZERO;
            for (int year = firstYear; year <= lastYear; year++) {
                total = total.add(c.getValue().getOrDefault(year, BigDecimal.ZERO));
                sink.figure(Figure.of(0, CODE, c.getKey(), String.valueOf(year), total, c.getKey() + "," + year));
            }
        }
    }

    /** A date written YYYY-MM-DD, YYYY-MM or YYYY (the first day of that month or year), or {@code null}. */
    private static LocalDate date(String text) {
        String t = text.trim();
        try {
            return switch (t.length()) {
                case 10 -> LocalDate.parse(t);
                case 7 -> LocalDate.parse(t + "-01");
                case 4 -> LocalDate.of(Integer.parseInt(t), 1, 1);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int column(Map<String, Integer> names, String name) {
        Integer index = names.get(name.toLowerCase(Locale.ROOT));
        if (index == null) {
            throw new ImportException("not an Epoch AI GPU clusters list: no column '" + name + "'");
        }
        return index;
    }
}
