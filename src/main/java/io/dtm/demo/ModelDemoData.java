package io.dtm.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.dtm.events.Feed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Demo data for the drivers model (DESIGN §5, default model {@code drivers}): the inputs of its rows for the 15 RCEP
 * members and the years 2010–2023 that {@link DemoDataSet} does not publish, as structured-mode CloudEvents of source
 * {@code urn:dtm:demo:synthetic}, vintage 2025-10-15, every one marked {@code "synthetic": true}, with stable ids
 * {@code model-<series>-<country>-<period>}. Everything random comes from one {@link Random} seeded by the caller, so
 * a seed always gives the same events; {@link #SEED} is the seed the demo uses. Publish it together with
 * {@link DemoDataSet} (in either order: no (series, period) is in both): the model's panel is the two together.
 *
 * <p><b>What is generated</b>, per member i (the members of {@code demo/rcep-members.csv}), drawn in the order of that
 * file and of the list below:
 * <ul>
 * <li>{@code GDP_USD} 2010–2018 (USD): backwards from the real World Bank figure of the earliest year DemoDataSet
 * publishes (2019), dividing by 1 + g with g ~ N(3 %, 4 %) a year for the high-income members (AUS, BRN, JPN, KOR,
 * NZL, SGP) and N(7 %, 4 %) for the others. The real 2019–2023 figures are not published again.</li>
 * <li>{@code DSTRI} (0 open … 1 closed): a level effective 2010-01-01, U(0.04, 0.12) above DemoDataSet's 2019 level,
 * then one or two changes in 2011–2018 and one change in each of 2020–2021 and 2022–2023, on a random day, each by
 * U(0.02, 0.08), liberalising with probability 0.7 (the value kept in [0.02, 0.95]); a change moves the index from
 * the value in force just before it, DemoDataSet's two events included.</li>
 * <li>{@code INTERNET_USERS_PCT} 2010–2023 (PCT): a logistic rise from a plausible 2010 level per member, its logit
 * growing by s_i · e^{0.5·N(0,1)} a year with s_i ~ U(0.15, 0.40): always rising, always below 100.</li>
 * <li>{@code ICT} {@code EXPORT} to {@code WLD} 2009–2023 (USD_MN; 2009 so that the 2010 row has its lag): from
 * U(0.25, 0.45) times the member's 2019 DDS figure below in 2009, growing by N(8 %, 10 %) a year.</li>
 * <li>{@code INTELLIGENT_EFLOPS_FP16} 2010–2023 (EFLOPS_FP16): backwards from a plausible 2023 level per member
 * (China 450, below the 788 of June 2025 that DemoDataSet publishes), dividing by 1 + g with g ~ N(45 %, 12 %).</li>
 * <li>{@code DDS} {@code EXPORT} to {@code WLD} 2010–2023 (USD_MN), from the process below.</li>
 * </ul>
 * Amounts are rounded to 6 significant digits (EFLOPS to 4), percentages to 2 decimals, the DSTRI to 3; the process
 * uses the rounded values, so the panel the service assembles holds exactly the regressors y was generated from.
 *
 * <p><b>The process.</b> With the model's terms x = (ln_gdp, openness, infra, ln_ict_lag, ln_compute) defined as in
 * the drivers-model issue (openness = 1 − the DSTRI in force on 31 December, infra = internet users / 100, the ICT
 * lag in year t − 1) and rcep = 1 from the year of the member's entry into force:
 * <pre>
 *   ln y_it = a_i + m_it + 0.04 · rcep_it + 0.03 · ε_it,   ε_it ~ N(0, 1) independent
 *   m_i,2010 = 0,   m_it = m_i,t−1 + β(t) · (x_it − x_i,t−1)
 *   β(t) = (0,   0,   0.7, 0.3, 0.05)  for t ≤ 2020: infrastructure and ICT drive DDS exports
 *   β(t) = (0,   0,   0,   0,   0.05)  in 2021: the shift
 *   β(t) = (0.9, 2.0, 0,   0,   0.05)  for t ≥ 2022: GDP and openness drive them
 * </pre>
 * Each year's changes of the regressors move exports by that year's coefficients, so exports stay continuous when the
 * coefficients shift (a shift of coefficients on levels would make them jump). a_i puts the 2019 level without noise
 * at a plausible figure per member, in USD bn: AUS 25, BRN 0.4, KHM 0.5, IDN 8, JPN 120, KOR 45, LAO 0.35, MYS 12,
 * MMR 0.4, NZL 5, PHL 25, SGP 110, THA 8, VNM 6, and China DemoDataSet's 2019 value.
 *
 * <p>Fitted with the within estimator, the rolling window 2017–2021 then finds infra and ln_ict_lag significant and
 * ln_gdp and openness not, and the window 2019–2023 the reverse: the paper's story (rcep does not vary before 2022,
 * so the first window drops it). The two windows share 2019–2021, so it is mostly 2017–2018 against 2022–2023 that
 * tells them apart; with this noise and 15 clusters the story shows for roughly three seeds in ten. {@link #SEED} is
 * one for which every clustered p-value of the story is at least six times beyond its threshold (0.05 or 0.10).
 *
 * <p><b>Keys DemoDataSet already publishes</b> (China's DDS exports 2019–2025, a DSTRI of every member on 2019-01-01
 * and on its RCEP entry into force, the real GDP 2019–2023) are read from it, not generated again: a second value
 * of the same (series, period) in the same vintage would silently replace the first (the tie goes to the greater
 * id), changing what the rest of the demo shows. Instead the process takes DemoDataSet's values as given: GDP grows
 * back from the real figures, DSTRI changes move the index from DemoDataSet's levels and are dated on other days,
 * and China's 2019–2023 DDS exports, which the process does not generate, anchor its level and carry its own noise.
 * The panel the service fits is therefore the panel the process describes.
 */
public final class ModelDemoData {

    /** The seed of the demo: the story shows clearly with it (see above). */
    public static final long SEED = 377L;
    static final String ID_PREFIX = "model-";
    static final int FIRST_YEAR = 2010;
    static final int LAST_YEAR = 2023;
    /** The last year whose changes move ln y with the early coefficients. */
    private static final int EARLY_UNTIL = 2020;
    /** The first year whose changes move ln y with the late coefficients. */
    private static final int LATE_FROM = 2022;
    /** β of (ln_gdp, openness, infra, ln_ict_lag, ln_compute) up to {@link #EARLY_UNTIL}. */
    private static final double[] EARLY = {0, 0, 0.7, 0.3, 0.05};
    /** β of the same terms between the two regimes. */
    private static final double[] TRANSITION = {0, 0, 0, 0, 0.05};
    /** β of the same terms from {@link #LATE_FROM}. */
    private static final double[] LATE = {0.9, 2.0, 0, 0, 0.05};
    private static final double RCEP_EFFECT = 0.04;
    private static final double NOISE_SD = 0.03;
    private static final int ANCHOR_YEAR = 2019;
    private static final List<String> HIGH_INCOME = List.of("AUS", "BRN", "JPN", "KOR", "NZL", "SGP");

    /** Plausible round levels, not official figures: DDS exports in 2019, internet use in 2010, EFLOPS in 2023. */
    private record Profile(double dds2019Bn, double internet2010Pct, double eflops2023) {
    }

    private static final Map<String, Profile> PROFILES = Map.ofEntries(
            Map.entry("AUS", new Profile(25, 76, 12)),
            Map.entry("BRN", new Profile(0.4, 53, 0.05)),
            Map.entry("KHM", new Profile(0.5, 3, 0.1)),
            Map.entry("CHN", new Profile(200, 34, 450)),
            Map.entry("IDN", new Profile(8, 11, 4)),
            Map.entry("JPN", new Profile(120, 78, 40)),
            Map.entry("KOR", new Profile(45, 84, 25)),
            Map.entry("LAO", new Profile(0.35, 7, 0.05)),
            Map.entry("MYS", new Profile(12, 56, 5)),
            Map.entry("MMR", new Profile(0.4, 1, 0.05)),
            Map.entry("NZL", new Profile(5, 80, 1.5)),
            Map.entry("PHL", new Profile(25, 25, 1.5)),
            Map.entry("SGP", new Profile(110, 71, 10)),
            Map.entry("THA", new Profile(8, 22, 3)),
            Map.entry("VNM", new Profile(6, 31, 2)));

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ModelDemoData() {
    }

    /** The model's demo events for {@code seed}, as a JSON array (a CloudEvents batch). */
    public static ArrayNode events(long seed) {
        Published demo = Published.of(DemoDataSet.events());
        Random random = new Random(seed);
        ArrayNode events = JSON.arrayNode();
        for (String country : members()) {
            Profile profile = PROFILES.get(country);
            if (profile == null) {
                throw new IllegalStateException("no model demo profile for RCEP member " + country);
            }
            new Member(country, profile, demo, random, events).generate();
        }
        return events;
    }

    /** One member's series, generated in a fixed order of draws. */
    private static final class Member {

        private static final int YEARS = LAST_YEAR - FIRST_YEAR + 1;

        private final String country;
        private final Profile profile;
        private final Published demo;
        private final Random random;
        private final ArrayNode events;

        Member(String country, Profile profile, Published demo, Random random, ArrayNode events) {
            this.country = country;
            this.profile = profile;
            this.demo = demo;
            this.random = random;
            this.events = events;
        }

        void generate() {
            double[] lnGdp = gdp();
            double[] openness = openness(dstri());
            double[] infra = internet();
            double[] lnIctLag = ict();
            double[] lnCompute = compute();
            double[][] x = new double[YEARS][];
            double[] rcep = new double[YEARS];
            Integer entry = demo.rcepYear.get(country);
            for (int i = 0; i < YEARS; i++) {
                x[i] = new double[] {lnGdp[i], openness[i], infra[i], lnIctLag[i], lnCompute[i]};
                rcep[i] = entry != null && FIRST_YEAR + i >= entry ? 1 : 0;
            }
            dds(x, rcep);
        }

        /** ln GDP by year: DemoDataSet's real figures, and backwards from the earliest of them. */
        private double[] gdp() {
            double[] values = new double[YEARS];
            int firstReal = -1;
            for (int i = 0; i < YEARS; i++) {
                Double real = demo.values.get(key(Feed.MACRO, country, "", "", "GDP_USD", year(i)));
                if (real != null) {
                    values[i] = real;
                    firstReal = firstReal < 0 ? i : firstReal;
                }
            }
            if (firstReal < 0) {
                throw new IllegalStateException("the demo data set has no GDP of " + country);
            }
            double mean = HIGH_INCOME.contains(country) ? 0.03 : 0.07;
            double next = values[firstReal];
            for (int i = firstReal - 1; i >= 0; i--) {
                next = next / (1 + mean + 0.04 * random.nextGaussian());
                values[i] = publish(Feed.MACRO, "gdp", year(i), JSON.objectNode().put("country", country)
                        .put("indicator", "GDP_USD").put("period", year(i)).put("value", round(next, 6))
                        .put("unit", "USD"));
            }
            return log(values);
        }

        /** DSTRI events by effective date: DemoDataSet's and the generated ones. */
        private TreeMap<String, Double> dstri() {
            TreeMap<String, Double> timeline = new TreeMap<>(demo.dstri.getOrDefault(country, new TreeMap<>()));
            double reference = timeline.isEmpty() ? 0.3 : timeline.firstEntry().getValue();
            double level = Math.min(0.95, reference + 0.04 + 0.08 * random.nextDouble());
            addDstri(timeline, LocalDate.of(FIRST_YEAR, 1, 1), round(level, 3), "NEUTRAL", "DSTRI level");
            List<Integer> years = new ArrayList<>();
            int early = 1 + random.nextInt(2);
            for (int c = 0; c < early; c++) {
                years.add(2011 + random.nextInt(8));
            }
            years.add(2020 + random.nextInt(2));
            years.add(2022 + random.nextInt(2));
            years.sort(null);
            for (int year : years) {
                LocalDate date = LocalDate.ofYearDay(year, 1 + random.nextInt(365));
                while (timeline.containsKey(date.toString())) {
                    date = date.plusDays(1);
                }
                double before = timeline.floorEntry(date.toString()).getValue();
                boolean liberalising = random.nextDouble() < 0.7;
                double step = 0.02 + 0.06 * random.nextDouble();
                double after = round(Math.max(0.02, Math.min(0.95, before + (liberalising ? -step : step))), 3);
                addDstri(timeline, date, after, after <= before ? "LIBERALISING" : "RESTRICTIVE", "DSTRI change");
            }
            return timeline;
        }

        private void addDstri(TreeMap<String, Double> timeline, LocalDate date, double value, String direction,
                String what) {
            String effective = date.toString();
            timeline.put(effective, publish(Feed.POLICY, "dstri", effective, JSON.objectNode().put("country", country)
                    .put("measure", "DSTRI").put("effective", effective).put("direction", direction)
                    .put("indexValue", value).put("description", what + " (synthetic)")));
        }

        /** 1 − the DSTRI in force on 31 December of each year. */
        private double[] openness(TreeMap<String, Double> timeline) {
            double[] values = new double[YEARS];
            for (int i = 0; i < YEARS; i++) {
                values[i] = 1 - timeline.floorEntry(year(i) + "-12-31").getValue();
            }
            return values;
        }

        /** Internet users / 100 by year. */
        private double[] internet() {
            double speed = 0.15 + 0.25 * random.nextDouble();
            double logit = Math.log(profile.internet2010Pct() / (100 - profile.internet2010Pct()));
            double[] values = new double[YEARS];
            for (int i = 0; i < YEARS; i++) {
                if (i > 0) {
                    logit += speed * Math.exp(0.5 * random.nextGaussian());
                }
                double pct = 100 / (1 + Math.exp(-logit));
                values[i] = publish(Feed.COMPUTE, "internet", year(i), JSON.objectNode().put("region", country)
                        .put("metric", "INTERNET_USERS_PCT").put("period", year(i))
                        .put("value", Math.round(pct * 100) / 100.0).put("unit", "PCT")) / 100;
            }
            return values;
        }

        /** ln ICT exports of the year before, by year. */
        private double[] ict() {
            double usdMn = profile.dds2019Bn() * 1000 * (0.25 + 0.20 * random.nextDouble());
            double[] lagged = new double[YEARS];
            for (int year = FIRST_YEAR - 1; year <= LAST_YEAR; year++) {
                if (year >= FIRST_YEAR) {
                    usdMn *= 1 + 0.08 + 0.10 * random.nextGaussian();
                }
                String period = Integer.toString(year);
                double usd = publish(Feed.TRADE, "ict", period, trade("ICT", period, round(usdMn, 6)));
                if (year < LAST_YEAR) {
                    lagged[year + 1 - FIRST_YEAR] = Math.log(usd);
                }
            }
            return lagged;
        }

        /** ln EFLOPS by year. */
        private double[] compute() {
            double[] values = new double[YEARS];
            double eflops = profile.eflops2023();
            for (int i = YEARS - 1; i >= 0; i--) {
                if (i < YEARS - 1) {
                    eflops /= 1 + 0.45 + 0.12 * random.nextGaussian();
                }
                values[i] = publish(Feed.COMPUTE, "eflops", year(i), JSON.objectNode().put("region", country)
                        .put("metric", "INTELLIGENT_EFLOPS_FP16").put("period", year(i))
                        .put("value", round(eflops, 4)).put("unit", "EFLOPS_FP16"));
            }
            return log(values);
        }

        /** DDS exports from the process, anchored on the 2019 level. */
        private void dds(double[][] x, double[] rcep) {
            double[] moved = new double[YEARS];
            for (int i = 1; i < YEARS; i++) {
                double[] beta = coefficients(FIRST_YEAR + i);
                moved[i] = moved[i - 1];
                for (int k = 0; k < beta.length; k++) {
                    moved[i] += beta[k] * (x[i][k] - x[i - 1][k]);
                }
            }
            String anchorPeriod = Integer.toString(ANCHOR_YEAR);
            double anchor = demo.values.getOrDefault(key(Feed.TRADE, country, "WLD", "EXPORT", "DDS", anchorPeriod),
                    profile.dds2019Bn() * 1e9);
            int a = ANCHOR_YEAR - FIRST_YEAR;
            double level = Math.log(anchor) - moved[a] - RCEP_EFFECT * rcep[a];
            for (int i = 0; i < YEARS; i++) {
                double ln = level + moved[i] + RCEP_EFFECT * rcep[i] + NOISE_SD * random.nextGaussian();
                publish(Feed.TRADE, "dds", year(i), trade("DDS", year(i), round(Math.exp(ln) / 1e6, 6)));
            }
        }

        private ObjectNode trade(String category, String period, double usdMn) {
            return JSON.objectNode().put("reporter", country).put("partner", "WLD").put("flow", "EXPORT")
                    .put("category", category).put("period", period).put("value", usdMn).put("unit", "USD_MN");
        }

        /**
         * Adds a synthetic event for {@code data} unless DemoDataSet publishes its (series, period); returns the value
         * the panel will hold for it (base unit), DemoDataSet's in that case.
         */
        private double publish(Feed feed, String series, String period, ObjectNode data) {
            String key = key(feed, data);
            Double published = demo.values.get(key);
            if (published != null) {
                return published;
            }
            data.put("vintage", DemoDataSet.SYNTHETIC_VINTAGE).put("synthetic", true);
            events.add(event(feed, ID_PREFIX + series + "-" + country + "-" + period, data));
            return value(data);
        }

        private static String year(int index) {
            return Integer.toString(FIRST_YEAR + index);
        }

        private static double[] log(double[] values) {
            double[] logs = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                logs[i] = Math.log(values[i]);
            }
            return logs;
        }
    }

    /**
     * What DemoDataSet publishes that the model reads: values by (series, period) key in base units, the DSTRI events
     * of each country by effective date, and the year of each member's RCEP entry into force.
     */
    private record Published(Map<String, Double> values, Map<String, TreeMap<String, Double>> dstri,
            Map<String, Integer> rcepYear) {

        static Published of(ArrayNode events) {
            Published published = new Published(new HashMap<>(), new HashMap<>(), new HashMap<>());
            for (JsonNode event : events) {
                Feed feed = Feed.ofEventType(event.path("type").asText()).orElseThrow();
                JsonNode data = event.get("data");
                if (feed == Feed.POLICY && "RCEP_ENTRY_INTO_FORCE".equals(data.path("measure").asText())) {
                    published.rcepYear.put(data.get("country").asText(),
                            LocalDate.parse(data.get("effective").asText()).getYear());
                } else if (data.has("value") || data.has("indexValue")) {
                    published.values.put(key(feed, data), value(data));
                    if (feed == Feed.POLICY && "DSTRI".equals(data.path("measure").asText())) {
                        published.dstri.computeIfAbsent(data.get("country").asText(), c -> new TreeMap<>())
                                .put(data.get("effective").asText(), data.get("indexValue").asDouble());
                    }
                }
            }
            return published;
        }
    }

    /** The (series, period) key of an event's data, with the per-feed series mapping of DESIGN §3. */
    private static String key(Feed feed, JsonNode data) {
        return switch (feed) {
            case TRADE -> key(feed, data.path("reporter").asText(), data.path("partner").asText(),
                    data.path("flow").asText(), data.path("category").asText(), data.path("period").asText());
            case COMPUTE -> key(feed, data.path("region").asText(), "", "", data.path("metric").asText(),
                    data.path("period").asText());
            case POLICY -> key(feed, data.path("country").asText(), "", "", data.path("measure").asText(),
                    data.path("effective").asText());
            case MACRO -> key(feed, data.path("country").asText(), "", "", data.path("indicator").asText(),
                    data.path("period").asText());
        };
    }

    private static String key(Feed feed, String reporter, String partner, String flow, String category,
            String period) {
        return String.join("|", feed.label(), reporter, partner, flow, category, period);
    }

    /** The value of an event's data in its base unit (money in USD). */
    private static double value(JsonNode data) {
        if (data.has("indexValue")) {
            return data.get("indexValue").asDouble();
        }
        double factor = switch (data.path("unit").asText()) {
            case "USD_MN" -> 1e6;
            case "USD_100MN" -> 1e8;
            case "USD_BN" -> 1e9;
            default -> 1;
        };
        return data.get("value").asDouble() * factor;
    }

    private static double round(double value, int significantDigits) {
        return new BigDecimal(value).round(new MathContext(significantDigits)).doubleValue();
    }

    /** The coefficients by which the changes of year {@code year} move ln y. */
    private static double[] coefficients(int year) {
        if (year <= EARLY_UNTIL) {
            return EARLY;
        }
        return year >= LATE_FROM ? LATE : TRANSITION;
    }

    private static ObjectNode event(Feed feed, String id, JsonNode data) {
        ObjectNode event = JSON.objectNode()
                .put("specversion", "1.0").put("id", id).put("source", DemoDataSet.SYNTHETIC_SOURCE)
                .put("type", feed.eventType()).put("datacontenttype", "application/json");
        event.set("data", data);
        return event;
    }

    /** The ISO-3 codes of the RCEP members, in the order of {@code demo/rcep-members.csv}. */
    private static List<String> members() {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.ALLOW_COMMENTS);
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        try (InputStream in = ModelDemoData.class.getResourceAsStream("/demo/rcep-members.csv")) {
            if (in == null) {
                throw new IllegalStateException("demo file missing from the classpath: demo/rcep-members.csv");
            }
            List<String> members = new ArrayList<>();
            try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema)
                    .readValues(in)) {
                it.forEachRemaining(row -> members.add(row.get("iso3")));
            }
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo/rcep-members.csv", e);
        }
    }
}
