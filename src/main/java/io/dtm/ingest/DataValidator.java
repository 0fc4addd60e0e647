package io.dtm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtm.api.Problems;
import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import io.dtm.events.Unit;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates the {@code data} of a feed event (DESIGN §3) and builds the observation it carries, naming every bad
 * field; pure, with no Kafka in it. Beyond their shape, the data must be plausible against {@code today}: periods
 * and effective dates from {@value #FIRST_YEAR} to ten years ahead, vintages no later than tomorrow (clock skew; a
 * vintage far ahead would win every revision for ever), EBOPS 2010 codes from the closed list of {@link Ebops2010},
 * hub ids under an ISO 3166 country.
 */
final class DataValidator {

    /** ISO 3166 alpha-3 codes plus the aggregates the feeds use. */
    static final Set<String> COUNTRIES;

    static {
        Set<String> codes = new HashSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));
        codes.addAll(List.of("WLD", "RCEP", "NON_RCEP"));
        COUNTRIES = Set.copyOf(codes);
    }

    /** ISO 3166 alpha-3 codes alone: the country a hub id starts with. */
    private static final Set<String> ISO_COUNTRIES = Set.copyOf(
            Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));
    /** The first year a period, effective date or vintage may have. */
    static final int FIRST_YEAR = 1900;
    /** How many years after this year a period or effective date may lie. */
    static final int YEARS_AHEAD = 10;

    private static final Set<String> FLOWS = Set.of("EXPORT", "IMPORT", "TOTAL");
    static final Set<String> TRADE_CATEGORIES = Set.of("GOODS", "SERVICES", "DDS", "ICT");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    /** Hub ids: the country's ISO-3 code, a dash, and the hub's own code, e.g. {@code CHN-GUIZHOU}. */
    private static final Pattern HUB = Pattern.compile("([A-Z]{3})-[A-Z0-9_-]{1,60}");
    private static final Set<String> DIRECTIONS = Set.of("LIBERALISING", "RESTRICTIVE", "NEUTRAL");
    /** Policy measures that are an index (0 = open … 1 = closed) and so need {@code indexValue}. */
    static final Set<String> INDEX_MEASURES = Set.of("DSTRI", "STRI");
    /** Macro indicators that cannot be negative. */
    private static final Set<String> NON_NEGATIVE_MACRO = Set.of("GDP_USD", "POPULATION");
    private static final int MAX_DESCRIPTION = 2000;

    private static final Set<String> TRADE_FIELDS = Set.of("reporter", "partner", "flow", "category", "period",
            "value", "unit", "reportedGrowthPct", "vintage", "synthetic");
    private static final Set<String> COMPUTE_FIELDS = Set.of("region", "metric", "period", "value", "unit",
            "hubGroup", "vintage", "synthetic");
    private static final Set<String> POLICY_FIELDS = Set.of("country", "measure", "effective", "direction",
            "indexValue", "description", "vintage", "synthetic");
    private static final Set<String> MACRO_FIELDS = Set.of("country", "indicator", "period", "value", "unit",
            "vintage", "synthetic");

    /** The series fields a retraction names per feed: those its observations name. */
    private static final Set<String> RETRACTION_TRADE = Set.of("feed", "reporter", "partner", "flow", "category",
            "period", "vintage");
    private static final Set<String> RETRACTION_COMPUTE = Set.of("feed", "region", "metric", "period", "vintage");
    private static final Set<String> RETRACTION_POLICY = Set.of("feed", "country", "measure", "period", "vintage");
    private static final Set<String> RETRACTION_MACRO = Set.of("feed", "country", "indicator", "period", "vintage");

    private DataValidator() {
    }

    /** The result: an observation when {@code errors} is empty. */
    record Result(Optional<Observation> observation, List<FieldError> errors) {
    }

    /**
     * Validates {@code data} of an event of {@code feed}.
     *
     * @param today the date (UTC) the plausibility of periods and vintages is judged against
     */
    static Result validate(Feed feed, JsonNode data, String source, String id, LocalDate today) {
        Fields f = new Fields(data, today);
        Observation obs = switch (feed) {
            case TRADE -> trade(f, source, id);
            case COMPUTE -> compute(f, source, id);
            case POLICY -> policy(f, source, id);
            case MACRO -> macro(f, source, id);
        };
        f.rejectUnknown(switch (feed) {
            case TRADE -> TRADE_FIELDS;
            case COMPUTE -> COMPUTE_FIELDS;
            case POLICY -> POLICY_FIELDS;
            case MACRO -> MACRO_FIELDS;
        });
        return f.errors.isEmpty() ? new Result(Optional.of(obs), List.of()) : new Result(Optional.empty(), f.errors);
    }

    /**
     * Validates the {@code data} of a retraction ({@code dtm.retraction.v1}): the {@code feed}, the series fields as
     * an observation of that feed names them, the {@code period} (policy: the {@code effective} date of the change
     * withdrawn, {@code YYYY-MM-DD}) and the {@code vintage} at which the observation is withdrawn. The result is an
     * observation that carries only the series, period, vintage, {@code source} and {@code id}.
     *
     * @param today the date (UTC) the plausibility of periods and vintages is judged against
     */
    static Result retraction(JsonNode data, String source, String id, LocalDate today) {
        Fields f = new Fields(data, today);
        String label = f.code("feed", l -> Feed.ofLabel(l).isPresent(), "trade, compute, policy or macro");
        Feed feed = label == null ? null : Feed.ofLabel(label).orElseThrow();
        if (feed == null) {
            f.rejectUnknown(union(RETRACTION_TRADE, RETRACTION_COMPUTE, RETRACTION_POLICY, RETRACTION_MACRO));
            return new Result(Optional.empty(), f.errors);
        }
        Observation obs = switch (feed) {
            case TRADE -> new Observation(Feed.TRADE.label(), f.code("reporter", COUNTRIES::contains, COUNTRY),
                    f.code("partner", COUNTRIES::contains, COUNTRY), f.code("flow", FLOWS::contains, "EXPORT, IMPORT or TOTAL"),
                    f.code("category", c -> TRADE_CATEGORIES.contains(c) || Ebops2010.CODES.containsKey(c),
                            "GOODS, SERVICES, DDS, ICT or an EBOPS 2010 code such as SI (MSITS 2010)"),
                    f.period("period"), null, null, f.vintage(), source, id, null, null, null, null, false);
            case COMPUTE -> new Observation(Feed.COMPUTE.label(), f.code("region", DataValidator::region,
                    "an ISO 3166 alpha-3 code or a hub id under one, such as CHN-GUIZHOU"), "", "",
                    f.code("metric", m -> CODE.matcher(m).matches(), "an upper-case code such as INTERNET_USERS_PCT"),
                    f.period("period"), null, null, f.vintage(), source, id, null, null, null, null, false);
            case POLICY -> new Observation(Feed.POLICY.label(), f.code("country", COUNTRIES::contains, COUNTRY), "", "",
                    f.code("measure", m -> CODE.matcher(m).matches(), "an upper-case code such as DSTRI"),
                    f.inYears("period", f.date("period")), null, null, f.vintage(), source, id, null, null, null,
                    null, false);
            case MACRO -> new Observation(Feed.MACRO.label(), f.code("country", COUNTRIES::contains, COUNTRY), "", "",
                    f.code("indicator", i -> CODE.matcher(i).matches(), "an upper-case code such as GDP_USD"),
                    f.period("period"), null, null, f.vintage(), source, id, null, null, null, null, false);
        };
        f.rejectUnknown(switch (feed) {
            case TRADE -> RETRACTION_TRADE;
            case COMPUTE -> RETRACTION_COMPUTE;
            case POLICY -> RETRACTION_POLICY;
            case MACRO -> RETRACTION_MACRO;
        });
        return f.errors.isEmpty() ? new Result(Optional.of(obs), List.of()) : new Result(Optional.empty(), f.errors);
    }

    private static final String COUNTRY = "an ISO 3166 alpha-3 code or WLD, RCEP, NON_RCEP";

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    private static Observation trade(Fields f, String source, String id) {
        String reporter = f.code("reporter", COUNTRIES::contains, "an ISO 3166 alpha-3 code or WLD, RCEP, NON_RCEP");
        String partner = f.code("partner", COUNTRIES::contains, "an ISO 3166 alpha-3 code or WLD, RCEP, NON_RCEP");
        String flow = f.code("flow", FLOWS::contains, "EXPORT, IMPORT or TOTAL");
        String category = f.code("category", c -> TRADE_CATEGORIES.contains(c) || Ebops2010.CODES.containsKey(c),
                "GOODS, SERVICES, DDS, ICT or an EBOPS 2010 code such as SI (MSITS 2010)");
        String period = f.period("period");
        Unit unit = f.unit(true);
        if (unit != null && !unit.monetary()) {
            f.error("unit", "trade values are money: " + Unit.monetaryUnits() + ", not " + unit);
        }
        Double value = f.number("value", true, true);
        Double growth = f.number("reportedGrowthPct", false, false);
        return new Observation(Feed.TRADE.label(), reporter, partner, flow, category, period, normalise(f, value, unit),
                unit == null ? null : unit.normalised().name(), f.vintage(), source, id, growth, null, null, null,
                f.synthetic());
    }

    private static Observation compute(Fields f, String source, String id) {
        String region = f.code("region", DataValidator::region,
                "an ISO 3166 alpha-3 code or a hub id under one, such as CHN-GUIZHOU");
        String metric = f.code("metric", m -> CODE.matcher(m).matches(), "an upper-case code such as INTERNET_USERS_PCT");
        String period = f.period("period");
        Unit unit = f.unit(true);
        Double value = f.number("value", true, true);
        String hubGroup = f.optionalCode("hubGroup", g -> CODE.matcher(g).matches(), "an upper-case code");
        return new Observation(Feed.COMPUTE.label(), region, "", "", metric, period, normalise(f, value, unit),
                unit == null ? null : unit.normalised().name(), f.vintage(), source, id, null, null, null, hubGroup,
                f.synthetic());
    }

    private static Observation policy(Fields f, String source, String id) {
        String country = f.code("country", COUNTRIES::contains, "an ISO 3166 alpha-3 code or WLD, RCEP, NON_RCEP");
        String measure = f.code("measure", m -> CODE.matcher(m).matches(), "an upper-case code such as DSTRI");
        String effective = f.effective();
        String direction = f.code("direction", DIRECTIONS::contains, "LIBERALISING, RESTRICTIVE or NEUTRAL");
        boolean index = measure != null && INDEX_MEASURES.contains(measure);
        Double indexValue = f.number("indexValue", index, true);
        if (indexValue != null && indexValue > 1) {
            f.error("indexValue", "must be between 0 (open) and 1 (closed), was " + indexValue);
        }
        String description = f.optionalText("description", MAX_DESCRIPTION);
        return new Observation(Feed.POLICY.label(), country, "", "", measure, effective, indexValue,
                indexValue == null ? null : Unit.INDEX.name(), f.vintage(), source, id, null, direction, description,
                null, f.synthetic());
    }

    private static Observation macro(Fields f, String source, String id) {
        String country = f.code("country", COUNTRIES::contains, "an ISO 3166 alpha-3 code or WLD, RCEP, NON_RCEP");
        String indicator = f.code("indicator", i -> CODE.matcher(i).matches(), "an upper-case code such as GDP_USD");
        String period = f.period("period");
        Unit unit = f.unit(true);
        Double value = f.number("value", true, indicator != null && NON_NEGATIVE_MACRO.contains(indicator));
        return new Observation(Feed.MACRO.label(), country, "", "", indicator, period, normalise(f, value, unit),
                unit == null ? null : unit.normalised().name(), f.vintage(), source, id, null, null, null, null,
                f.synthetic());
    }

    /** A country or aggregate, or a hub id that starts with an ISO 3166 alpha-3 country. */
    private static boolean region(String region) {
        if (COUNTRIES.contains(region)) {
            return true;
        }
        Matcher hub = HUB.matcher(region);
        return hub.matches() && ISO_COUNTRIES.contains(hub.group(1));
    }

    private static Double normalise(Fields f, Double value, Unit unit) {
        if (value == null || unit == null) {
            return value;
        }
        double normalised = unit.normalise(value);
        if (!Double.isFinite(normalised)) {
            f.error("value", "is too large: " + value + " " + unit + " is not a finite amount of " + unit.normalised());
            return null;
        }
        return normalised;
    }

    /** Reads fields of one {@code data} object and collects what is wrong with them. */
    private static final class Fields {
        private final JsonNode data;
        private final LocalDate today;
        private final List<FieldError> errors = new ArrayList<>();

        Fields(JsonNode data, LocalDate today) {
            this.data = data;
            this.today = today;
        }

        void error(String name, String message) {
            errors.add(FieldError.data(name, message));
        }

        private JsonNode present(String name, boolean required) {
            JsonNode node = data.get(name);
            if (node == null || node.isNull()) {
                if (required) {
                    error(name, "is required");
                }
                return null;
            }
            return node;
        }

        private String string(String name, boolean required) {
            JsonNode node = present(name, required);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                error(name, "must be a string");
                return null;
            }
            return node.asText();
        }

        String code(String name, Predicate<String> valid, String expected) {
            String text = string(name, true);
            if (text != null && !valid.test(text)) {
                error(name, "must be " + expected + ", was '" + Problems.echo(text) + "'");
                return null;
            }
            return text;
        }

        String optionalCode(String name, Predicate<String> valid, String expected) {
            String text = string(name, false);
            if (text != null && !valid.test(text)) {
                error(name, "must be " + expected + ", was '" + Problems.echo(text) + "'");
                return null;
            }
            return text;
        }

        String optionalText(String name, int maxLength) {
            String text = string(name, false);
            if (text != null && text.length() > maxLength) {
                error(name, "must be at most " + maxLength + " characters");
                return null;
            }
            return text;
        }

        String period(String name) {
            String text = string(name, true);
            if (text != null && !Period.isValid(text)) {
                error(name, "must be YYYY, YYYY-Qn or YYYY-MM, was '" + Problems.echo(text) + "'");
                return null;
            }
            return inYears(name, text);
        }

        String date(String name) {
            String text = string(name, true);
            if (text != null && !Period.isDate(text)) {
                error(name, "must be a date YYYY-MM-DD, was '" + Problems.echo(text) + "'");
                return null;
            }
            return text;
        }

        /** A period or date whose year is from {@link #FIRST_YEAR} to {@link #YEARS_AHEAD} years after today's. */
        String inYears(String name, String text) {
            if (text == null) {
                return null;
            }
            int year = Period.year(text);
            int last = today.getYear() + YEARS_AHEAD;
            if (year < FIRST_YEAR || year > last) {
                error(name, "must lie in the years " + FIRST_YEAR + " to " + last + " (ten years from now), was '"
                        + text + "'");
                return null;
            }
            return text;
        }

        String effective() {
            return inYears("effective", date("effective"));
        }

        /** A release date from {@link #FIRST_YEAR} to tomorrow (a day of clock skew). */
        String vintage() {
            String text = date("vintage");
            if (text == null) {
                return null;
            }
            LocalDate vintage = LocalDate.parse(text);
            if (vintage.getYear() < FIRST_YEAR || vintage.isAfter(today.plusDays(1))) {
                error("vintage", "must be a release date from " + FIRST_YEAR + "-01-01 to tomorrow ("
                        + today.plusDays(1) + "), was '" + text + "'");
                return null;
            }
            return text;
        }

        Unit unit(boolean required) {
            String text = string("unit", required);
            if (text == null) {
                return null;
            }
            Optional<Unit> unit = Unit.of(text);
            if (unit.isEmpty()) {
                errors.add(new FieldError(FieldError.Location.DATA, "unit",
                        "unknown unit '" + Problems.echo(text) + "' (known units: " + Unit.known() + ")", true));
                return null;
            }
            return unit.get();
        }

        Double number(String name, boolean required, boolean nonNegative) {
            JsonNode node = present(name, required);
            if (node == null) {
                return null;
            }
            if (!node.isNumber()) {
                error(name, "must be a number");
                return null;
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                error(name, "must be finite");
                return null;
            }
            if (nonNegative && value < 0) {
                error(name, "must be ≥ 0, was " + Problems.echo(node.asText()));
                return null;
            }
            return value;
        }

        boolean synthetic() {
            JsonNode node = present("synthetic", false);
            if (node != null && !node.isBoolean()) {
                error("synthetic", "must be true or false");
                return false;
            }
            return node != null && node.booleanValue();
        }

        void rejectUnknown(Set<String> known) {
            for (Iterator<String> names = data.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!known.contains(name)) {
                    error(Problems.echo(name), "is not a field of this event type (fields: " + String.join(", ",
                            known.stream().sorted().toList()) + ")");
                }
            }
        }
    }
}
