package io.dtm.indicators;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    private static Catalogue parse(String yaml) {
        return Catalogue.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
    }

    @Test
    void shouldLoadTheDefaultCatalogueWithEveryKind() {
        Catalogue catalogue = Catalogue.load("classpath:indicators.yaml");
        assertEquals(Catalogue.KINDS.stream().sorted().toList(),
                catalogue.entries().stream().map(Catalogue.Entry::kind).distinct().sorted().toList());
        assertEquals("trade-yoy-growth", catalogue.entries().get(0).id());
    }

    @Test
    void shouldReadBackEveryEntryFromTheDefinitionATaskKeeps() {
        Catalogue catalogue = Catalogue.load("classpath:indicators.yaml");
        for (Catalogue.Entry entry : catalogue.entries()) {
            String definition = catalogue.definition(entry.id());
            assertFalse(definition.contains("\n"), "one line: " + definition);
            Catalogue back = Catalogue.ofDefinitions(List.of(definition), "test");
            assertEquals(List.of(entry), back.entries());
            assertEquals(catalogue.fingerprints().get(entry.id()), back.fingerprints().get(entry.id()));
            assertEquals(catalogue.kinds().get(entry.id()).getClass(), back.kinds().get(entry.id()).getClass());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Catalogue.ofDefinitions(List.of("{\"id\":\"x\",\"kind\":\"nope\"}"), "kept by task 0_1"));
        assertTrue(bad.getMessage().contains("kept by task 0_1") && bad.getMessage().contains("'x'"),
                bad.getMessage());
    }

    @Test
    void shouldNameEveryBadEntryInOneError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                indicators:
                  - id: ok
                    kind: yoy_growth_pct
                    select: {feed: trade}
                  - id: Bad_Id
                    kind: yoy_growth_pct
                  - id: no-kind
                    kind: median
                  - id: ok
                    kind: share_pct
                    numerator: {category: DDS}
                  - id: cagr-without-years
                    kind: cagr_pct
                    select: {feed: trade}
                  - id: diff
                    kind: growth_differential_pp
                    a: {feed: trade, reporter: RCEP}
                    b: {feed: trade, reporter: NON_RCEP, partner: WLD, flow: EXPORT, category: DDS}
                """));
        String message = e.getMessage();
        for (String expected : List.of("entry 1 'Bad_Id': id must be lower-case kebab",
                "entry 2 'no-kind': kind must be one of", "entry 3 'ok': id is used by an earlier entry",
                "entry 4 'cagr-without-years': years", "entry 5 'diff': a and b must each name one series")) {
            assertTrue(message.contains(expected), "missing «" + expected + "» in:\n" + message);
        }
    }

    @Test
    void shouldNameAMissingParameterOfAKind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("""
                indicators:
                  - id: share
                    kind: share_pct
                    numerator: {category: DDS}
                """));
        assertTrue(e.getMessage().contains("entry 0 'share': denominator is required"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownFieldsAndEmptyFiles() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("""
                indicators:
                  - id: x
                    kind: yoy_growth_pct
                    selct: {feed: trade}
                """)).getMessage().contains("unknown field 'selct'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("indicators: []"))
                .getMessage().contains("no 'indicators' entries"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("indicators: [ {"))
                .getMessage().contains("not valid YAML"));
    }
}
