package io.dtm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void shouldLoadTheDefaultDriversModelExactlyAsSpecified() {
        ModelSpec drivers = ModelSpec.load("classpath:models-six-terms.yaml").get(0);
        assertEquals("drivers", drivers.name());
        assertEquals(List.of("ln_gdp", "openness", "infra", "ln_ict_lag", "ln_compute", "rcep"), drivers.termNames());
        assertEquals(ModelSpec.Transform.LN, drivers.y().transform());
        assertEquals(1, drivers.terms().get(3).lagYears());
        assertEquals(5, drivers.windowYears());
        assertEquals(2022, drivers.breakAt());
    }

    @Test
    void shouldNameEveryProblemOfABadSpecification() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("""
                models:
                  - name: Bad Name
                    y: {name: y, feed: trade, category: DDS, transform: LN}
                    terms:
                      - {name: a, feed: macro, category: GDP_USD, transform: LN, lag: 11}
                      - {name: a, feed: macro, category: POPULATION, transform: LN}
                    window: 1
                """.getBytes(StandardCharsets.UTF_8), "test.yaml"));
        for (String expected : List.of("name must be unique lower-case", "lag must be 0 to 10 years",
                "term names must be unique", "window must be 2 to 50 years")) {
            assertTrue(e.getMessage().contains(expected), "missing «" + expected + "» in " + e.getMessage());
        }
    }

    @Test
    void shouldRejectAnUnknownTransform() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("""
                models:
                  - name: m
                    y: {name: y, feed: trade, category: DDS, transform: SQRT}
                    terms: [{name: a, feed: macro, category: GDP_USD, transform: LN}]
                """.getBytes(StandardCharsets.UTF_8), "test.yaml"));
        assertTrue(e.getMessage().contains("SQRT"), e.getMessage());
    }
}
