package io.dtm.alerts;

import io.dtm.streams.ConfigFiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A validated set of alert rules by id, loaded from YAML ({@code rules: [ … ]}). */
public final class AlertRules {

    record File(List<AlertRule> rules) {
    }

    private final Map<String, AlertRule> byId;

    private AlertRules(Map<String, AlertRule> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    public Map<String, AlertRule> byId() {
        return byId;
    }

    /** Loads {@code classpath:name} or a file path; every bad rule is named in one exception. */
    public static AlertRules load(String location) {
        return parse(ConfigFiles.read(location, "alert rules"), location);
    }

    static AlertRules parse(byte[] yaml, String origin) {
        File file = ConfigFiles.parse(yaml, origin, "alert rules", File.class);
        List<String> problems = new ArrayList<>();
        Map<String, AlertRule> rules = new LinkedHashMap<>();
        for (AlertRule rule : file == null || file.rules() == null ? List.<AlertRule>of() : file.rules()) {
            rule.problems().forEach(p -> problems.add("rule '" + rule.id() + "': " + p));
            if (rules.put(rule.id(), rule) != null) {
                problems.add("rule '" + rule.id() + "': id used twice");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("alert rules " + origin + " are invalid:\n  "
                    + String.join("\n  ", problems));
        }
        return new AlertRules(rules);
    }
}
