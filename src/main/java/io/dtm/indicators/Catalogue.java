package io.dtm.indicators;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dtm.streams.ConfigFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The indicator catalogue: configuration, not code (DESIGN §4). Loaded from YAML at start and validated with
 * errors that name the bad entry; each entry becomes an {@link IndicatorKind}.
 */
public final class Catalogue {

    /** The kinds an entry may name. */
    public static final List<String> KINDS = List.of("yoy_growth_pct", "cagr_pct", "share_pct",
            "growth_differential_pp", "rca", "market_share_pct", "balance", "hub_share_pct", "openness_index",
            "growth_consistency_gap_pp");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String WHAT = "indicator catalogue";
    /** Definitions as a task keeps them: one entry as JSON, nulls left out. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** One entry as written in the YAML file; which fields apply depends on the kind. */
    public record Entry(String id, String kind, String description, Selector select, Selector numerator,
            Selector denominator, Selector a, Selector b, String category, String totalCategory, String flow,
            String partner, String world, Integer years, String metric, String hubGroup, String measure,
            Integer until) {
    }

    /** The file: {@code indicators: [ … ]}. */
    record File(List<Entry> indicators) {
    }

    private final Map<String, IndicatorKind> kinds;
    private final List<Entry> entries;

    private Catalogue(List<Entry> entries, Map<String, IndicatorKind> kinds) {
        this.entries = List.copyOf(entries);
        this.kinds = Collections.unmodifiableMap(kinds);
    }

    /** The entries, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /** Entry id → a fingerprint of its definition: a changed definition is a new entry. */
    public Map<String, String> fingerprints() {
        Map<String, String> prints = new LinkedHashMap<>();
        entries.forEach(e -> prints.put(e.id(), Integer.toHexString(e.toString().hashCode())));
        return prints;
    }

    /** The definition of an entry as one line of JSON, which {@link #ofDefinitions} reads back. */
    public String definition(String id) {
        Entry entry = entries.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no catalogue entry " + id));
        try {
            return JSON.writeValueAsString(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The catalogue of the given definitions (each as {@link #definition} wrote it), validated as a file is.
     *
     * @throws IllegalArgumentException naming the definitions that do not parse or validate
     */
    public static Catalogue ofDefinitions(List<String> definitions, String origin) {
        return parse(("{\"indicators\":[" + String.join(",", definitions) + "]}")
                .getBytes(StandardCharsets.UTF_8), origin);
    }

    /** Entry id → its kind, in file order. */
    public Map<String, IndicatorKind> kinds() {
        return kinds;
    }

    /** Loads {@code classpath:name} or a file path. */
    public static Catalogue load(String location) {
        return parse(ConfigFiles.read(location, WHAT), location);
    }

    /** Parses and validates a catalogue (YAML, or JSON); every problem is named in one exception. */
    public static Catalogue parse(byte[] text, String origin) {
        File file = ConfigFiles.parse(text, origin, WHAT, File.class);
        if (file == null || file.indicators() == null || file.indicators().isEmpty()) {
            throw new IllegalArgumentException(WHAT + " " + origin + " has no 'indicators' entries");
        }
        List<String> problems = new ArrayList<>();
        Map<String, IndicatorKind> kinds = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < file.indicators().size(); i++) {
            Entry e = file.indicators().get(i);
            String where = "entry " + i + (e.id() == null ? "" : " '" + e.id() + "'");
            List<String> bad = new ArrayList<>();
            if (e.id() == null || !ID.matcher(e.id()).matches()) {
                bad.add("id must be lower-case kebab (a-z, 0-9, -), was " + e.id());
            } else if (!ids.add(e.id())) {
                bad.add("id is used by an earlier entry");
            }
            IndicatorKind kind = bad.isEmpty() ? build(e, bad) : null;
            if (bad.isEmpty()) {
                kinds.put(e.id(), kind);
            } else {
                bad.forEach(b -> problems.add(where + ": " + b));
            }
        }
        ConfigFiles.check(problems, origin, WHAT);
        return new Catalogue(file.indicators(), kinds);
    }

    private static IndicatorKind build(Entry e, List<String> bad) {
        if (e.kind() == null || !KINDS.contains(e.kind())) {
            bad.add("kind must be one of " + KINDS + ", was " + e.kind());
            return null;
        }
        String flow = e.flow() == null ? "EXPORT" : e.flow();
        String partner = e.partner() == null ? "WLD" : e.partner();
        String world = e.world() == null ? "WLD" : e.world();
        return switch (e.kind()) {
            case "yoy_growth_pct" -> new SeriesKind(e.id(), e.kind(), oneFeed(e.select(), bad), 1,
                    SeriesKind.Formula.YOY_GROWTH);
            case "growth_consistency_gap_pp" -> new SeriesKind(e.id(), e.kind(), oneFeed(e.select(), bad), 1,
                    SeriesKind.Formula.CONSISTENCY_GAP);
            case "cagr_pct" -> {
                if (e.years() == null || e.years() < 1 || e.years() > 100) {
                    bad.add("years (the CAGR window, 1 to 100) is required");
                }
                yield new SeriesKind(e.id(), e.kind(), oneFeed(e.select(), bad),
                        e.years() == null ? 1 : e.years(), SeriesKind.Formula.CAGR);
            }
            case "share_pct" -> PairKind.share(e.id(), require(e.numerator(), "numerator", bad),
                    require(e.denominator(), "denominator", bad));
            case "balance" -> PairKind.balance(e.id(), require(e.select(), "select", bad));
            case "growth_differential_pp" -> {
                Selector a = require(e.a(), "a", bad);
                Selector b = require(e.b(), "b", bad);
                if (a != null && !a.namesOneSeries() || b != null && !b.namesOneSeries()) {
                    bad.add("a and b must each name one series (feed, reporter, partner, flow, category)");
                }
                yield new DifferentialKind(e.id(), a, b);
            }
            case "market_share_pct" -> CrossSectionKind.marketShare(e.id(), flow, partner, world,
                    require(e.category(), "category", bad));
            case "rca" -> CrossSectionKind.rca(e.id(), flow, partner, world, require(e.category(), "category", bad),
                    require(e.totalCategory(), "totalCategory", bad));
            case "hub_share_pct" -> new HubShareKind(e.id(), require(e.metric(), "metric", bad),
                    require(e.hubGroup(), "hubGroup", bad));
            case "openness_index" -> new OpennessKind(e.id(), e.measure() == null ? "DSTRI" : e.measure(),
                    e.until() == null ? 0 : e.until());
            default -> throw new IllegalStateException(e.kind());
        };
    }

    /** A series kind reads one feed, so that its groups are named by the output labels alone. */
    private static Selector oneFeed(Selector select, List<String> bad) {
        Selector s = require(select, "select", bad);
        if (s != null && s.feed() == null) {
            bad.add("select.feed is required for this kind");
        }
        return s;
    }

    private static <T> T require(T value, String field, List<String> bad) {
        if (value == null) {
            bad.add(field + " is required for this kind");
        }
        return value;
    }
}
