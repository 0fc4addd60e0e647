package io.dtm.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void shouldEchoAtMost256CharactersAndSayHowManyWereLeftOut() {
        assertEquals("null", Problems.echo(null));
        assertEquals("x".repeat(256), Problems.echo("x".repeat(256)));
        String cut = Problems.echo("y".repeat(10_000));
        assertTrue(cut.startsWith("y".repeat(256) + "…(+9744 characters)"), cut);
        assertEquals(256 + "…(+9744 characters)".length(), cut.length());
        String pairs = Problems.echo("a" + "\uD83C\uDF10".repeat(200));
        int end = pairs.indexOf('…');
        assertEquals(255, end);
        assertTrue(Character.isLowSurrogate(pairs.charAt(end - 1)), "never cuts a surrogate pair in two");
    }

    @Test
    void shouldListAtMost100ErrorsWithTheirTotal() {
        List<String> problems = IntStream.range(0, 150).mapToObj(i -> "f" + i + ": bad").toList();
        Response response = Problems.invalid("invalid-thing", "Invalid thing", problems, "/api/v1/things/x");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertEquals(100, ((List<?>) body.get("errors")).size());
        assertEquals(150, body.get("errorCount"));
        assertEquals("150 problem(s); nothing was stored", body.get("detail"));
        assertEquals(Map.of("field", "f99", "detail", "bad"), ((List<?>) body.get("errors")).get(99));
    }

    @Test
    void shouldSummariseAtMost100ErrorsOnOneLine() {
        assertEquals("a; b", Problems.summary(List.of("a", "b")));
        String summary = Problems.summary(IntStream.range(0, 1000).mapToObj(i -> "e" + i).toList());
        assertTrue(summary.contains("e99; …and 900 more (1000 in all)"), summary);
        assertFalse(summary.contains("e100"), summary);
    }
}
