package io.dtm.imports;

import io.dtm.events.Feed;
import io.dtm.events.Unit;
import io.dtm.streams.ConfigFiles;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The publications the service can import: configuration, not code ({@code datasets.yaml}). Per dataset its format,
 * source URN and which publisher codes become which feed, series, unit and scale. Loaded and validated like the
 * indicator catalogue: every bad entry is named in one exception.
 */
public final class Datasets {

    /** The formats a dataset may name. */
    public enum Format {
        WB_BULK_CSV("wb-bulk-csv"),
        WB_API_JSON("wb-api-json"),
        SDMX_CSV("sdmx-csv"),
        LONG_CSV("long-csv"),
        EPOCH_GPU_CLUSTERS("epoch-gpu-clusters");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Optional<Format> of(String label) {
            for (Format f : values()) {
                if (f.label.equals(label)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** The columns of a long CSV (header names), or the SDMX dimensions of area and code. */
    public record Columns(String area, String period, String value, String code) {
    }

    /**
     * Which feed and series one publisher code becomes.
     *
     * @param code       the publisher's code (World Bank indicator, SDMX indicator, a long CSV's code column)
     * @param metric     compute: the metric
     * @param indicator  macro: the indicator
     * @param measure    policy: the measure (its figures are index values effective at the period's last day)
     * @param direction  policy: LIBERALISING, RESTRICTIVE or NEUTRAL (default NEUTRAL)
     * @param category   trade: the category
     * @param flow       trade: EXPORT, IMPORT or TOTAL
     * @param partner    trade: the partner (default WLD)
     * @param unit       the unit of the figures once scaled (not for policy)
     * @param scale      what a figure in base units is multiplied by (default 1; 1e-6 for millions)
     * @param aggregates the publisher's aggregate areas imported (as themselves) for this code, e.g. [WLD]
     */
    public record Mapping(String code, String feed, String metric, String indicator, String measure,
            String direction, String category, String flow, String partner, String unit, BigDecimal scale,
            List<String> aggregates) {

        /** The feed, once validated. */
        public Feed feedOf() {
            return Feed.ofLabel(feed).orElseThrow();
        }

        /** The multiplier, 1 when not given. */
        public BigDecimal scaleOrOne() {
            return scale == null ? BigDecimal.ONE : scale;
        }

        /** Whether an area code of the publisher's aggregates is imported for this code. */
        public boolean importsAggregate(String area) {
            return aggregates != null && aggregates.contains(area);
        }
    }

    /**
     * One publication.
     *
     * @param id        lower-case kebab id, part of every event id
     * @param format    one of {@link Format}'s labels
     * @param source    the CloudEvents {@code source} of its events (a URN)
     * @param structure SDMX: the dataflow ({@code AGENCY:ID} or {@code AGENCY:ID(VERSION)}) its rows must be of
     * @param code      long CSV without a code column: the code of every row
     * @param columns   long CSV: its columns; SDMX: the area and code dimensions (default REF_AREA, INDICATOR)
     */
    public record Dataset(String id, String format, String source, String description, String structure,
            String code, Columns columns, List<Mapping> mappings) {

        public Format formatOf() {
            return Format.of(format).orElseThrow();
        }

        /** The mapping of a publisher code. */
        public Optional<Mapping> mapping(String publisherCode) {
            return mappings.stream().filter(m -> m.code().equals(publisherCode)).findFirst();
        }

        /** Whether an SDMX row's dataflow is this dataset's (case-insensitive; version ignored when not named). */
        public boolean structureMatches(String rowStructure) {
            if (structure == null || rowStructure == null) {
                return true;
            }
            String want = structure.toUpperCase(Locale.ROOT);
            String have = rowStructure.trim().toUpperCase(Locale.ROOT);
            return want.contains("(") ? have.equals(want) : have.replaceAll("\\(.*\\)$", "").equals(want);
        }
    }

    /** The file. */
    record File(List<String> aggregates, Map<String, String> countryNames, List<Dataset> datasets) {
    }

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final Pattern AREA = Pattern.compile("[A-Z]{3}|RCEP|NON_RCEP");
    private static final Set<String> FLOWS = Set.of("EXPORT", "IMPORT", "TOTAL");
    private static final Set<String> DIRECTIONS = Set.of("LIBERALISING", "RESTRICTIVE", "NEUTRAL");
    private static final String WHAT = "datasets file";

    private final Set<String> aggregates;
    private final Map<String, String> countryNames;
    private final Map<String, Dataset> datasets;

    private Datasets(Set<String> aggregates, Map<String, String> countryNames, Map<String, Dataset> datasets) {
        this.aggregates = Set.copyOf(aggregates);
        this.countryNames = Map.copyOf(countryNames);
        this.datasets = datasets;
    }

    /** Loads {@code classpath:name} or a file path. */
    public static Datasets load(String location) {
        return parse(ConfigFiles.read(location, WHAT), location);
    }

    /** Parses and validates; every problem is named in one exception. */
    public static Datasets parse(byte[] yaml, String origin) {
        File file = ConfigFiles.parse(yaml, origin, WHAT, File.class);
        if (file == null || file.datasets() == null || file.datasets().isEmpty()) {
            throw new IllegalArgumentException(WHAT + " " + origin + " has no 'datasets' entries");
        }
        List<String> problems = new ArrayList<>();
        Set<String> aggregates = new HashSet<>(file.aggregates() == null ? List.of() : file.aggregates());
        Map<String, String> names = file.countryNames() == null ? Map.of() : file.countryNames();
        names.forEach((name, iso3) -> {
            if (iso3 == null || !AREA.matcher(iso3).matches()) {
                problems.add("countryNames '" + name + "': must map to an ISO 3166 alpha-3 code, was " + iso3);
            }
        });
        Map<String, Dataset> byId = new LinkedHashMap<>();
        for (int i = 0; i < file.datasets().size(); i++) {
            Dataset d = file.datasets().get(i);
            String where = "dataset " + i + (d.id() == null ? "" : " '" + d.id() + "'");
            List<String> bad = new ArrayList<>();
            validate(d, bad);
            if (d.id() != null && byId.containsKey(d.id())) {
                bad.add("id is used by an earlier dataset");
            }
            if (bad.isEmpty()) {
                byId.put(d.id(), d);
            } else {
                bad.forEach(b -> problems.add(where + ": " + b));
            }
        }
        ConfigFiles.check(problems, origin, WHAT);
        return new Datasets(aggregates, names, byId);
    }

    private static void validate(Dataset d, List<String> bad) {
        if (d.id() == null || !ID.matcher(d.id()).matches()) {
            bad.add("id must be lower-case kebab (a-z, 0-9, -), was " + d.id());
        }
        Optional<Format> format = Format.of(d.format());
        if (format.isEmpty()) {
            bad.add("format must be one of " + java.util.Arrays.stream(Format.values()).map(Format::label).toList()
                    + ", was " + d.format());
        }
        if (d.source() == null || d.source().isBlank() || d.source().length() > 256) {
            bad.add("source (the events' source URN, at most 256 characters) is required");
        } else {
            try {
                if (!URI.create(d.source()).isAbsolute()) {
                    bad.add("source must be an absolute URI such as urn:worldbank:wdi, was " + d.source());
                }
            } catch (IllegalArgumentException e) {
                bad.add("source must be a URI, was " + d.source());
            }
        }
        if (format.orElse(null) == Format.LONG_CSV) {
            Columns c = d.columns();
            if (c == null || c.area() == null || c.period() == null || c.value() == null) {
                bad.add("columns.area, columns.period and columns.value are required for long-csv");
            } else if (c.code() == null && d.code() == null) {
                bad.add("either columns.code or code (the code of every row) is required for long-csv");
            }
        }
        if (d.mappings() == null || d.mappings().isEmpty()) {
            bad.add("mappings are required");
            return;
        }
        Set<String> codes = new HashSet<>();
        for (int j = 0; j < d.mappings().size(); j++) {
            Mapping m = d.mappings().get(j);
            String where = "mapping " + j + (m.code() == null ? "" : " '" + m.code() + "'") + ": ";
            if (m.code() == null || m.code().isBlank()) {
                bad.add(where + "code is required");
            } else if (!codes.add(m.code())) {
                bad.add(where + "code is mapped twice");
            }
            Optional<Feed> feed = m.feed() == null ? Optional.empty() : Feed.ofLabel(m.feed());
            if (feed.isEmpty()) {
                bad.add(where + "feed must be trade, compute, policy or macro, was " + m.feed());
                continue;
            }
            switch (feed.get()) {
                case COMPUTE -> requireCode(m.metric(), "metric", where, bad);
                case MACRO -> requireCode(m.indicator(), "indicator", where, bad);
                case POLICY -> {
                    requireCode(m.measure(), "measure", where, bad);
                    if (m.direction() != null && !DIRECTIONS.contains(m.direction())) {
                        bad.add(where + "direction must be one of " + DIRECTIONS + ", was " + m.direction());
                    }
                }
                case TRADE -> {
                    requireCode(m.category(), "category", where, bad);
                    if (m.flow() == null || !FLOWS.contains(m.flow())) {
                        bad.add(where + "flow must be one of " + FLOWS + ", was " + m.flow());
                    }
                    if (m.partner() != null && !AREA.matcher(m.partner()).matches()) {
                        bad.add(where + "partner must be an ISO 3166 alpha-3 code or an aggregate, was "
                                + m.partner());
                    }
                }
                default -> throw new IllegalStateException(feed.get().name());
            }
            if (feed.get() != Feed.POLICY && Unit.of(m.unit()).isEmpty()) {
                bad.add(where + "unit must be one of " + Unit.known() + ", was " + m.unit());
            }
            if (m.scale() != null && m.scale().signum() <= 0) {
                bad.add(where + "scale must be positive, was " + m.scale());
            }
            if (m.aggregates() != null) {
                m.aggregates().stream().filter(a -> a == null || !AREA.matcher(a).matches())
                        .forEach(a -> bad.add(where + "aggregate " + a + " is not a code the events take"));
            }
        }
    }

    private static void requireCode(String value, String field, String where, List<String> bad) {
        if (value == null || !CODE.matcher(value).matches()) {
            bad.add(where + field + " is required (upper-case letters, digits, _), was " + value);
        }
    }

    /** The dataset of an id. */
    public Optional<Dataset> dataset(String id) {
        return Optional.ofNullable(datasets.get(id));
    }

    /** All datasets, in file order. */
    public List<Dataset> all() {
        return List.copyOf(datasets.values());
    }

    /** Whether an area code is one of the publishers' aggregates (WLD, EAS, income groups …). */
    public boolean aggregate(String area) {
        return aggregates.contains(area);
    }

    /** The reader of a dataset's format. */
    public FigureReader reader(Dataset d) {
        return reader(d.formatOf(), d);
    }

    /** The reader of a format, with the columns of {@code d} (may be {@code null} for formats that need none). */
    FigureReader reader(Format format, Dataset d) {
        Columns c = d == null ? null : d.columns();
        return switch (format) {
            case WB_BULK_CSV -> new WorldBankCsvReader();
            case WB_API_JSON -> new WorldBankJsonReader();
            case SDMX_CSV -> new SdmxCsvReader(c == null || c.area() == null ? "REF_AREA" : c.area(),
                    c == null || c.code() == null ? "INDICATOR" : c.code());
            case LONG_CSV -> new LongCsvReader(c, d == null ? null : d.code());
            case EPOCH_GPU_CLUSTERS -> new EpochGpuClustersReader(countryNames);
        };
    }
}
