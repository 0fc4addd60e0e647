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

    private static Subscription webhook(String target, String secret) {
        return new Subscription("team-a", "webhook", target, List.of("warning"), Map.of("reporter", "CHN"), secret, 0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://intranet.example/hook", "http://meta.example/latest", "http://[::1]/x",
            "http://192.168.1.5/x", "http://0.0.0.0/x", "http://[fd00::1]/x"})
    void shouldRefusePrivateLoopbackAndLinkLocalTargets(String target) {
        List<String> problems = webhook(target, "0123456789abcdef").problems(GUARD);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("target: host"), problems.get(0));
    }

    @Test
    void shouldAcceptPublicAndAllowListedTargets() {
        assertEquals(List.of(), webhook("https://hooks.example/dtm", "0123456789abcdef").problems(GUARD));
        assertEquals(List.of(), webhook("http://127.0.0.1:9999/hook", "0123456789abcdef").problems(GUARD));
    }

    @Test
    void shouldNameEveryBadField() {
        Subscription bad = new Subscription("Team A", "pager", "ftp://x", List.of("urgent"), null, "short", null);
        List<String> problems = bad.problems(GUARD);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("id:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("channel:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("severities:")), problems.toString());
        List<String> webhookProblems = webhook("ftp://x", "short").problems(GUARD);
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
        Subscription copy = new Subscription("lake", "kafka", "team-a.alerts", List.of(), Map.of(), null, 0L);
        assertEquals("team-a.alerts", copy.withoutSecret().target());
    }
}
