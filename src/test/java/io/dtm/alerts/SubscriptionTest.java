package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    /** Resolves names from a fixed table, so that the test asks no DNS. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = Map.of("hooks.example", "93.184.216.34", "intranet.example", "10.1.2.3",
                "meta.example", "169.254.169.254").get(host);
        if (address == null) {
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())};
    }

    private static final TargetGuard GUARD = new TargetGuard(List.of("127.0.0.1"), SubscriptionTest::resolve);
    private static final TopicGuard TOPICS = new TopicGuard("dtm-notify.", "dtm-alerts-indicators-ingest-model");

    private static Subscription webhook(String target, String secret) {
        return new Subscription("team-a", "webhook", target, List.of("warning"), Map.of("reporter", "CHN"), secret, 0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://intranet.example/hook", "http://meta.example/latest", "http://[::1]/x",
            "http://192.168.1.5/x", "http://0.0.0.0/x", "http://[fd00::1]/x"})
    void shouldRefusePrivateLoopbackAndLinkLocalTargets(String target) {
        List<String> problems = webhook(target, "0123456789abcdef").problems(GUARD, TOPICS);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("target: host"), problems.get(0));
    }

    @Test
    void shouldAcceptPublicAndAllowListedTargets() {
        assertEquals(List.of(), webhook("https://hooks.example/dtm", "0123456789abcdef").problems(GUARD, TOPICS));
        assertEquals(List.of(), webhook("http://127.0.0.1:9999/hook", "0123456789abcdef").problems(GUARD, TOPICS));
    }

    @Test
    void shouldNameEveryBadField() {
        Subscription bad = new Subscription("Team A", "pager", "ftp://x", List.of("urgent"), null, "short", null);
        List<String> problems = bad.problems(GUARD, TOPICS);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("id:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("channel:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("severities[0]:")), problems.toString());
        List<String> webhookProblems = webhook("ftp://x", "short").problems(GUARD, TOPICS);
        assertTrue(webhookProblems.stream().anyMatch(p -> p.startsWith("target: an absolute http")), webhookProblems
                .toString());
        assertTrue(webhookProblems.stream().anyMatch(p -> p.startsWith("secret:")), webhookProblems.toString());
    }

    @Test
    void shouldFilterBySeverityAndLabelsAndNeverShowTheSecret() {
        Subscription s = webhook("https://hooks.example/dtm", "0123456789abcdef");
        assertTrue(s.wants("warning", Map.of("reporter", "CHN", "category", "DDS")));
        assertFalse(s.wants("info", Map.of("reporter", "CHN")));
        assertFalse(s.wants("warning", Map.of("reporter", "JPN")));
        assertNull(s.withoutSecret().secret());
    }

    @Test
    void shouldShowTheTargetWithoutItsCredentials() {
        Subscription s = webhook("https://bot:pa55word@hooks.example/dtm?token=t0k3n", "0123456789abcdef");
        assertEquals("https://***@hooks.example/dtm?token=***", s.withoutSecret().target());
        assertEquals("https://bot:pa55word@hooks.example/dtm?token=t0k3n", s.target(), "delivery keeps the real URL");
        Subscription copy = new Subscription("lake", "kafka", "dtm-notify.team-a", List.of(), Map.of(), null, 0L);
        assertEquals("dtm-notify.team-a", copy.withoutSecret().target());
    }

    private static Subscription kafka(String topic) {
        return new Subscription("team-a", "kafka", topic, null, null, null, 0L);
    }

    @Test
    void shouldAcceptKafkaTopicsUnderTheConfiguredPrefix() {
        assertEquals(List.of(), kafka("dtm-notify.team-a").problems(GUARD, TOPICS));
        assertEquals(List.of(), kafka("dtm-notify.team-a.alerts_v2").problems(GUARD, TOPICS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"team-a.alerts", "dtm-notify.", "__consumer_offsets", "__transaction_state",
            "dtm.alerts.v1", "dtm.subscriptions.v1", "dtm-alerts-indicators-ingest-model-alert-state-store-changelog",
            "dtm-ingest-ingest-vintage-repartition", "dtm-notify.x-changelog", "dtm-notify.x-repartition",
            "dtm-notify.bad topic", ".", ""})
    void shouldRefuseKafkaTopicsOfKafkaOfTheServiceOrOutsideThePrefix(String topic) {
        List<String> problems = kafka(topic).problems(GUARD, TOPICS);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("target:"), problems.toString());
    }

    @Test
    void shouldRefuseInternalTopicsWhateverThePrefix() {
        TopicGuard loose = new TopicGuard("", "dtm-alerts");
        assertEquals(List.of(), kafka("team-a.alerts").problems(GUARD, loose));
        for (String topic : List.of("__consumer_offsets", "dtm.alerts.v1", "dtm-alerts-store-changelog",
                "dtm-model-x")) {
            assertEquals(1, kafka(topic).problems(GUARD, loose).size(), topic);
        }
    }

    @Test
    void shouldBoundSecretsLabelsSeveritiesAndTargets() {
        assertOneProblemOf("secret", webhook("https://hooks.example/dtm", "s".repeat(1025)).problems(GUARD, TOPICS));
        assertEquals(List.of(), webhook("https://hooks.example/dtm", "s".repeat(1024)).problems(GUARD, TOPICS));
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("l" + i, "v");
        }
        assertOneProblemOf("labels", withLabels(many).problems(GUARD, TOPICS));
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("reporter", null);
        assertOneProblemOf("labels.reporter", withLabels(nullValue).problems(GUARD, TOPICS));
        assertOneProblemOf("labels", withLabels(Map.of("bad name", "x")).problems(GUARD, TOPICS));
        assertOneProblemOf("labels.reporter", withLabels(Map.of("reporter", "C".repeat(129))).problems(GUARD, TOPICS));
        assertOneProblemOf("severities[1]", new Subscription("team-a", "kafka", "dtm-notify.a",
                java.util.Arrays.asList("warning", null), null, null, 0L).problems(GUARD, TOPICS));
        assertOneProblemOf("severities", new Subscription("team-a", "kafka", "dtm-notify.a",
                List.of("warning", "warning", "info", "critical"), null, null, 0L).problems(GUARD, TOPICS));
        assertOneProblemOf("target", webhook("https://hooks.example/" + "x".repeat(2048), "0123456789abcdef")
                .problems(GUARD, TOPICS));
    }

    @Test
    void shouldEchoAtMost256CharactersOfABadValue() {
        String huge = "Z".repeat(100_000);
        List<String> problems = new Subscription(huge, huge, huge, List.of(huge), Map.of(huge, huge), huge, 0L)
                .problems(GUARD, TOPICS);
        assertTrue(problems.size() >= 4, problems.toString().substring(0, 200));
        for (String problem : problems) {
            assertTrue(problem.length() < io.dtm.api.Problems.MAX_ECHO + 200, problem);
        }
    }

    private static Subscription withLabels(Map<String, String> labels) {
        return new Subscription("team-a", "kafka", "dtm-notify.a", null, labels, null, 0L);
    }

    private static void assertOneProblemOf(String field, List<String> problems) {
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(field + ":"), problems.toString());
    }
}
