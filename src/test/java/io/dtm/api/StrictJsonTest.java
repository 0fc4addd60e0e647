package io.dtm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Sample(String name, Integer count, Double ratio, Boolean on, List<String> tags, Map<String, String> labels) {
    }

    private static List<String> problems(String json) throws Exception {
        List<String> problems = new ArrayList<>();
        Optional<Sample> read = StrictJson.read(json == null ? null : JSON.readTree(json), Sample.class, problems);
        assertEquals(problems.isEmpty(), read.isPresent(), problems.toString());
        return problems;
    }

    @Test
    void shouldReadAWellTypedObject() throws Exception {
        List<String> problems = new ArrayList<>();
        Sample s = StrictJson.read(JSON.readTree("{\"name\":\"a\",\"count\":3,\"ratio\":1,\"on\":true,"
                + "\"tags\":[\"x\"],\"labels\":{\"k\":\"v\"}}"), Sample.class, problems).orElseThrow();
        assertEquals(new Sample("a", 3, 1.0, true, List.of("x"), Map.of("k", "v")), s);
    }

    @Test
    void shouldNameEveryMistypedAndUnknownFieldAtOnce() throws Exception {
        List<String> problems = problems("{\"name\":5,\"count\":\"3\",\"ratio\":\"1.5\",\"on\":1,\"tags\":[\"a\",null],"
                + "\"labels\":{\"k\":null},\"extra\":1,\"more\":2}");
        List<String> fields = problems.stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
        assertEquals(List.of("extra", "more", "name", "count", "ratio", "on", "tags[1]", "labels.k"), fields,
                problems.toString());
        assertTrue(problems.get(2).contains("must be a string"), problems.get(2));
        assertTrue(problems.get(6).contains("must not be null"), problems.get(6));
    }

    @Test
    void shouldRefuseFractionsAndOverflowInWholeNumbers() throws Exception {
        assertTrue(problems("{\"count\":3.5}").get(0).startsWith("count: must be a whole number"));
        assertTrue(problems("{\"count\":99999999999}").get(0).startsWith("count: must be a whole number"));
        assertTrue(problems("{\"count\":1e400}").get(0).startsWith("count: must be a whole number"));
        assertTrue(problems("{\"tags\":\"x\"}").get(0).startsWith("tags: must be a list"));
        assertTrue(problems("{\"labels\":[1]}").get(0).startsWith("labels: must be an object"));
    }

    @Test
    void shouldRefuseABodyThatIsNotAnObject() throws Exception {
        for (String body : new String[] {null, "null", "[1,2]", "42", "\"text\""}) {
            assertTrue(problems(body).get(0).startsWith("(body): a JSON object is required"), body);
        }
    }

    @Test
    void shouldEchoAtMost256CharactersOfAnUnknownFieldName() throws Exception {
        String name = "x".repeat(10_000);
        String problem = problems("{\"" + name + "\":1}").get(0);
        assertTrue(problem.length() < 256 + 200, problem.length() + " characters");
        assertTrue(problem.contains("(+" + (10_000 - 256) + " characters)"), problem);
    }
}
