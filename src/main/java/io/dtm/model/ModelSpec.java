package io.dtm.model;

import io.dtm.events.Observation;
import io.dtm.streams.ConfigFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A drivers model declared in configuration (DESIGN §5): the dependent series and the terms, each a series with a
 * transform, so that a user adds a variant without a release.
 *
 * @param entities   the economies the model covers (ISO 3166 alpha-3); every economy when absent
 * @param window     years in the rolling estimate
 * @param breakYear  the year of the Chow-type break test
 * @param history    how many snapshots are kept, and how many of the latest releases have an estimate as of
 *                   them on {@code dtm.model-releases.v1} (what model alerts are evaluated on)
 * @param debounceMs how long the stability tests and the estimates as of each release wait after a change
 *                   before they run
 */
public record ModelSpec(String name, Input y, List<Input> terms, List<String> entities, Integer window, Integer breakYear, Integer history,
        Long debounceMs) {

    /** How an input's value for (entity, year) is read. */
    public enum Transform {
        /** ln of the value of the year (no row when ≤ 0). */
        LN,
        /** ln(1 + the value of the year), for counts where zero is a real value (no row when ≤ −1). */
        LN1P,
        /** The value of the year. */
        VALUE,
        /** The value of the year / 100 (percentages as shares). */
        PERCENT,
        /** 1 − the latest index value effective on or before 31 December (policy indexes). */
        ONE_MINUS_AS_OF,
        /** 1 if an event of this series took effect in or before the year, else 0 (never missing). */
        EFFECTIVE_SINCE
    }

    /**
     * One input: a series (the entity is its reporter) and how to read it.
     *
     * @param lag years back (ln_ict_lag reads t−1)
     */
    public record Input(String name, String feed, String category, String flow, String partner, Transform transform,
            Integer lag) {

        /** Whether {@code obs} is of this input's series for some entity. */
        public boolean matches(Observation obs) {
            return feed.equals(obs.feed()) && category.equals(obs.category())
                    && (flow == null || flow.equals(obs.flow())) && (partner == null || partner.equals(obs.partner()));
        }

        public int lagYears() {
            return lag == null ? 0 : lag;
        }

        /** Whether every year's value depends on events of any earlier date (as-of and since-inputs). */
        public boolean asOf() {
            return transform == Transform.ONE_MINUS_AS_OF || transform == Transform.EFFECTIVE_SINCE;
        }
    }

    /** Whether the model covers {@code entity}: every economy when no {@code entities} are listed. */
    public boolean covers(String entity) {
        return entities == null || entities.contains(entity);
    }

    /** The names of the terms, in order. */
    public List<String> termNames() {
        return terms.stream().map(Input::name).toList();
    }

    /** The inputs: y first, then the terms. */
    public List<Input> inputs() {
        List<Input> all = new ArrayList<>();
        all.add(y);
        all.addAll(terms);
        return all;
    }

    public int windowYears() {
        return window == null ? 5 : window;
    }

    public int breakAt() {
        return breakYear == null ? Stability.DEFAULT_BREAK_YEAR : breakYear;
    }

    public int historySize() {
        return history == null ? 100 : history;
    }

    public long debounce() {
        return debounceMs == null ? 2000 : debounceMs;
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern ISO3 = Pattern.compile("[A-Z]{3}");
    private static final String WHAT = "model specification";

    /** The file: {@code models: [ … ]}. */
    record File(List<ModelSpec> models) {
    }

    /** Loads and validates {@code classpath:name} or a file path; every problem is named in one exception. */
    public static List<ModelSpec> load(String location) {
        return parse(ConfigFiles.read(location, WHAT), location);
    }

    public static List<ModelSpec> parse(byte[] yaml, String origin) {
        File file = ConfigFiles.parse(yaml, origin, WHAT, File.class);
        if (file == null || file.models() == null || file.models().isEmpty()) {
            throw new IllegalArgumentException(WHAT + " " + origin + " has no 'models'");
        }
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ModelSpec m : file.models()) {
            String where = "model '" + m.name() + "'";
            if (m.name() == null || !NAME.matcher(m.name()).matches() || !names.add(m.name())) {
                problems.add(where + ": name must be unique lower-case (a-z, 0-9, _ and -)");
            }
            if (m.y() == null || m.terms() == null || m.terms().isEmpty()) {
                problems.add(where + ": y and at least one term are required");
                continue;
            }
            Set<String> terms = new HashSet<>();
            for (Input in : m.inputs()) {
                String what = where + " input '" + in.name() + "'";
                if (in.name() == null || in.feed() == null || in.category() == null || in.transform() == null) {
                    problems.add(what + ": name, feed, category and transform are required");
                } else if (in != m.y() && !terms.add(in.name())) {
                    problems.add(what + ": term names must be unique");
                }
                if (in.lag() != null && (in.lag() < 0 || in.lag() > 10)) {
                    problems.add(what + ": lag must be 0 to 10 years");
                }
            }
            if (m.y().transform() == Transform.EFFECTIVE_SINCE) {
                problems.add(where + ": y cannot be an EFFECTIVE_SINCE input");
            }
            if (m.entities() != null && (m.entities().isEmpty()
                    || !m.entities().stream().allMatch(e -> e != null && ISO3.matcher(e).matches()))) {
                problems.add(where + ": entities must list ISO 3166 alpha-3 codes (or be left out for all)");
            }
            if (m.window() != null && (m.window() < 2 || m.window() > 50)) {
                problems.add(where + ": window must be 2 to 50 years");
            }
        }
        ConfigFiles.check(problems, origin, WHAT);
        return file.models();
    }
}
