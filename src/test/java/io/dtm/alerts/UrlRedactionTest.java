package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UrlRedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://hooks.example/dtm|https://hooks.example/dtm",
        "https://user:pa55@hooks.example/dtm|https://***@hooks.example/dtm",
        "https://user:p@ss@hooks.example:8443/x|https://***@hooks.example:8443/x",
        "https://hooks.example/dtm?token=abc123&team=a|https://hooks.example/dtm?token=***&team=***",
        "https://hooks.example/dtm?abc123|https://hooks.example/dtm?***",
        "https://hooks.example/dtm?empty=&x=1|https://hooks.example/dtm?empty=&x=***",
        "https://hooks.example/dtm?|https://hooks.example/dtm?",
        "https://u:p@h.example/a?k=v#frag|https://***@h.example/a?k=***#***",
        "http://[::1]:9/h?sig=s|http://[::1]:9/h?sig=***",
        "http://alertmanager.example:9093|http://alertmanager.example:9093"})
    void shouldMaskUserInfoQueryValuesAndFragment(String url, String shown) {
        assertEquals(shown, UrlRedaction.redact(url));
    }

    @Test
    void shouldRedactEveryUrlInAMessage() {
        assertEquals("https://***@h.example/x?token=*** answered 500: nope",
                UrlRedaction.redactIn("https://bob:secret@h.example/x?token=t0k answered 500: nope"));
        assertEquals("no url here", UrlRedaction.redactIn("no url here"));
        assertEquals("http://h.example/x?token=***: refused",
                UrlRedaction.redactIn("http://h.example/x?token=t: refused"));
        assertEquals("http://h.example/x?token=***: refused", UrlRedaction.redactIn(
                UrlRedaction.redactIn("http://h.example/x?token=t: refused")), "redacting twice changes nothing");
        assertNull(UrlRedaction.redact(null));
    }
}
