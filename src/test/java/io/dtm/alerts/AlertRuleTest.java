package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.api.Problems;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bounds of {@link AlertRule#problems()}: nothing absurd is stored, whatever the body. */
class AlertRuleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static AlertRule rule(String source, Consumer<ObjectNode> change) {
        ObjectNode rule = JSON.createObjectNode().put("id", "r").put("source", source).put("severity", "warning");
        switch (source) {
            case "indicator" -> rule.put("entry", "trade-yoy-growth").put("op", "<").put("threshold", 3);
            case "model" -> rule.put("model", "drivers").put("measure", "stability_ratio").put("op", ">")
                    .put("threshold", 1);
            default -> rule.put("entry", "trade-yoy-growth").put("due", "P10M");
        }
        change.accept(rule);
        return JSON.convertValue(rule, AlertRule.class);
    }

    private static List<String> problems(String source, Consumer<ObjectNode> change) {
        return rule(source, change).problems();
    }

    private static void assertOneProblemOf(String field, List<String> problems) {
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(field + ":"), problems.toString());
    }

    @Test
    void shouldAcceptRulesAtTheBounds() {
        assertEquals(List.of(), problems("model", r -> r.put("forDuration", "PT87600H")));
        assertEquals(List.of(), problems("model", r -> r.put("forDuration", "PT0S")));
        assertEquals(List.of(), problems("release", r -> r.put("due", "P10Y")));
        assertEquals(List.of(), problems("release", r -> r.put("due", "P1D")));
        assertEquals(List.of(), problems("indicator", r -> r.put("description", "x".repeat(4096))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT9999999999999999S", "P3653D", "PT-1S", "P1Y", "10 minutes"})
    void shouldRefuseADurationBeyondTenYearsOrNotADuration(String forDuration) {
        assertOneProblemOf("forDuration", problems("model", r -> r.put("forDuration", forDuration)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P0D", "P-1M", "P1Y-13M", "P10Y1D", "P121M", "P2147483647Y", "P9999999999D", "ten months"})
    void shouldRefuseAReleaseLagThatIsNotMoreThanNothingAndAtMostTenYears(String due) {
        assertOneProblemOf("due", problems("release", r -> r.put("due", due)));
    }

    @Test
    void shouldRefuseThresholdsThatAreNotFinite() {
        assertOneProblemOf("threshold", problems("indicator", r -> r.put("threshold", Double.NaN)));
        assertOneProblemOf("threshold", problems("indicator", r -> r.put("threshold", Double.POSITIVE_INFINITY)));
        assertOneProblemOf("clear", problems("indicator", r -> r.put("clear", Double.NaN)));
        assertOneProblemOf("clear", problems("indicator", r -> r.put("clear", Double.NEGATIVE_INFINITY)));
    }

    @Test
    void shouldRefuseADescriptionOfMoreThan4KiBInUtf8() {
        assertOneProblemOf("description", problems("indicator", r -> r.put("description", "x".repeat(4097))));
        assertOneProblemOf("description", problems("indicator", r -> r.put("description", "é".repeat(2049))));
    }

    @Test
    void shouldRefuseNullTermsTooManyTermsAndOverlongNames() {
        assertOneProblemOf("terms[1]", problems("model", r -> r.put("measure", "p_value")
                .set("terms", JSON.createArrayNode().add("infra").addNull())));
        String[] many = new String[33];
        Arrays.fill(many, "infra");
        assertOneProblemOf("terms", problems("model", r -> r.put("measure", "p_value")
                .set("terms", JSON.valueToTree(many))));
        assertOneProblemOf("reporter", problems("indicator", r -> r.put("reporter", "C".repeat(129))));
        assertOneProblemOf("entry", problems("indicator", r -> r.put("entry", "growth\u0000")));
    }

    @Test
    void shouldEchoAtMost256CharactersOfABadValue() {
        String huge = "Z".repeat(100_000);
        for (String problem : problems("indicator", r -> r.put("id", huge).put("severity", huge).put("op", huge)
                .put("transform", huge).put("scope", huge))) {
            assertTrue(problem.length() < Problems.MAX_ECHO + 150, problem);
        }
    }
}
