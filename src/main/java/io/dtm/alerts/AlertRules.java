package io.dtm.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtm.api.Problems;
import io.dtm.api.StrictJson;
import io.dtm.streams.ConfigFiles;
import io.dtm.streams.JsonSerde;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * The rule of a record of {@code dtm.alert-rules.v1} under key {@code id}.
     *
     * @throws IllegalArgumentException when it is not a valid rule with that id
     */
    static AlertRule read(String id, JsonNode record) {
        AlertRule rule;
        try {
            rule = JsonSerde.MAPPER.treeToValue(record, AlertRule.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an alert rule: " + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        if (!id.equals(rule.id())) {
            throw new IllegalArgumentException("the rule under key " + Problems.echo(id) + " has the id "
                    + Problems.echo(rule.id()));
        }
        if (!rule.problems().isEmpty()) {
            throw new IllegalArgumentException("not a valid rule: " + rule.problems());
        }
        return rule;
    }

    /**
     * A rule document of the REST API, read strictly (unknown fields refused) as the kind its {@code source} names;
     * without a known source, as an indicator rule, so that every bad field is named and the source with them.
     */
    static Optional<? extends AlertRule> document(JsonNode body, List<String> problems) {
        JsonNode source = body == null ? null : body.get("source");
        String kind = source != null && source.isTextual() ? source.asText() : "";
        return switch (kind) {
            case ModelThreshold.SOURCE -> StrictJson.read(body, ModelThreshold.class, problems);
            case MissingRelease.SOURCE -> StrictJson.read(body, MissingRelease.class, problems);
            default -> StrictJson.read(body, IndicatorThreshold.class, problems);
        };
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
