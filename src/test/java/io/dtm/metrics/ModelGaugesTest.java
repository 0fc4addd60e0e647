package io.dtm.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.ModelSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model gauges: every value computed is exported, nothing that was not computed is (no 0, no NaN). */
class ModelGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ModelGauges gauges = new ModelGauges(registry);

    private static ModelSnapshot.Term term(String name, double beta, double standardised) {
        ModelSnapshot.Inference classical = new ModelSnapshot.Inference(0.1, beta / 0.1, 0.01, beta - 0.2,
                beta + 0.2, 40, "classical");
        ModelSnapshot.Inference clustered = new ModelSnapshot.Inference(0.2, beta / 0.2, 0.04, beta - 0.43,
                beta + 0.43, 13, "clustered");
        return new ModelSnapshot.Term(name, beta, null, standardised, "SIGNIFICANT", classical, clustered);
    }

    private static ModelSnapshot.Estimate identified() {
        return new ModelSnapshot.Estimate("all", "OK", null, null, null, 60, 14, 40, 0.7,
                List.of(term("ln_gdp", 0.8, 0.3), term("infra", -0.5, -0.6)), List.of(), List.of("infra", "ln_gdp"));
    }

    private Gauge gauge(String name, String... tags) {
        return registry.find(name).tags(tags).gauge();
    }

    @Test
    void anIdentifiedEstimateExportsIntervalsStandardisedCoefficientsAndTheRank() {
        gauges.estimate("drivers", identified());
        assertEquals(0.7, gauge("dtm.model.r.squared", "model", "drivers", "estimate", "all").value());
        assertEquals(60, gauge("dtm.model.observations", "model", "drivers", "estimate", "all").value());
        String[] gdp = {"model", "drivers", "estimate", "all", "term", "ln_gdp"};
        assertEquals(0.8 - 0.43, registry.find("dtm.model.ci.lower").tags(gdp).tag("type", "clustered").gauge()
                .value());
        assertEquals(0.8 + 0.43, registry.find("dtm.model.ci.upper").tags(gdp).tag("type", "clustered").gauge()
                .value());
        assertEquals(0.8 - 0.2, registry.find("dtm.model.ci.lower").tags(gdp).tag("type", "classical").gauge()
                .value());
        assertEquals(0.3, gauge("dtm.model.standardized.coefficient", gdp).value());
        assertEquals(2, gauge("dtm.model.driver.rank", gdp).value());
        assertEquals(1, gauge("dtm.model.driver.rank", "model", "drivers", "estimate", "all", "term", "infra")
                .value());
    }

    @Test
    void aNotIdentifiedEstimateKeepsOnlyItsObservationsAndADroppedTermLosesItsSeries() {
        gauges.estimate("drivers", identified());
        gauges.estimate("drivers", new ModelSnapshot.Estimate("rolling", "OK", null, 2019, 2023, 30, 10, 14, 0.5,
                List.of(term("ln_gdp", 0.1, 0.1)), List.of(), List.of("ln_gdp")));
        ModelSnapshot.Estimate withoutInfra = new ModelSnapshot.Estimate("all", "OK", null, null, null, 60, 14, 41,
                0.6, List.of(term("ln_gdp", 0.8, 0.3)), List.of("infra"), List.of("ln_gdp"));
        gauges.estimate("drivers", withoutInfra);
        assertTrue(registry.find("dtm.model.coefficient").tag("term", "infra").gauges().isEmpty());
        assertTrue(registry.find("dtm.model.ci.lower").tag("term", "infra").gauges().isEmpty());
        assertEquals(1, gauge("dtm.model.driver.rank", "model", "drivers", "estimate", "all", "term", "ln_gdp")
                .value());

        gauges.estimate("drivers", new ModelSnapshot.Estimate("all", "NOT_IDENTIFIED", "collinear terms", null, null,
                61, 14, 40, null, List.of(), List.of(), List.of()));
        assertNull(gauge("dtm.model.r.squared", "model", "drivers", "estimate", "all"), "no R² rather than 0");
        assertEquals(61, gauge("dtm.model.observations", "model", "drivers", "estimate", "all").value());
        for (String name : List.of("dtm.model.coefficient", "dtm.model.std.error", "dtm.model.p.value",
                "dtm.model.ci.lower", "dtm.model.ci.upper", "dtm.model.standardized.coefficient",
                "dtm.model.driver.rank")) {
            assertTrue(registry.find(name).tags("estimate", "all").gauges().isEmpty(), name);
            assertFalse(registry.find(name).tags("estimate", "rolling").gauges().isEmpty(), name);
        }
        assertEquals(0.5, gauge("dtm.model.r.squared", "model", "drivers", "estimate", "rolling").value());

        gauges.estimate("drivers", identified());
        assertEquals(0.7, gauge("dtm.model.r.squared", "model", "drivers", "estimate", "all").value());
    }

    @Test
    void theStabilityRatioIsAbsentWhileItIsNotComputed() {
        gauges.stability("drivers", null);
        assertNull(gauge("dtm.model.stability.ratio", "model", "drivers"));
        gauges.stability("drivers", 0.4);
        assertEquals(0.4, gauge("dtm.model.stability.ratio", "model", "drivers").value());
        gauges.stability("drivers", null);
        assertNull(gauge("dtm.model.stability.ratio", "model", "drivers"), "no ratio rather than 0");
        assertTrue(registry.getMeters().stream()
                .noneMatch(m -> m.getId().getName().equals("dtm.model.stability.ratio")));
    }
}
