package io.dtm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.dtm.support.ScrapedMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window gauges: one series per term, window end year and bound, only for what was computed. */
class ModelWindowGaugesTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ModelGauges gauges = new ModelGauges(registry);
    private final ModelWindowGauges windows = gauges.windows();

    private static ModelWindow.Term term(String name, double beta) {
        return new ModelWindow.Term(name, beta, 0.3, "SIGNIFICANT",
                new ModelSnapshot.Inference(0.1, beta / 0.1, 0.01, beta - 0.2, beta + 0.2, 40, "classical"),
                new ModelSnapshot.Inference(0.2, beta / 0.2, 0.04, beta - 0.43, beta + 0.43, 13, "clustered"));
    }

    private static ModelWindow window(int end, ModelWindow.Term... terms) {
        return new ModelWindow(end, end - 4, 70, 68, 14, 50, "OK", null, 0.6, List.of(terms), List.of());
    }

    private static ModelWindow notIdentified(int end) {
        return new ModelWindow(end, end - 4, 3, 2, 1, -3, "NOT_IDENTIFIED", "under-identified", null, List.of(),
                List.of());
    }

    private ScrapedMetrics scrape() {
        return ScrapedMetrics.of(registry.getPrometheusRegistry());
    }

    private long series(String name) {
        return scrape().series().keySet().stream().filter(k -> k.startsWith(name + "{")).count();
    }

    @Test
    void shouldExportTheCoefficientAndBothIntervalsOfEachTermAndYear() {
        windows.window("drivers", window(2022, term("ln_gdp", 0.8), term("infra", -0.5)));
        windows.window("drivers", window(2023, term("ln_gdp", 0.9), term("infra", -0.4)));
        ScrapedMetrics m = scrape();
        assertEquals(0.8, m.value("dtm_model_window_coefficient", "model", "drivers", "term", "ln_gdp",
                "window_end", "2022"));
        assertEquals(0.9 - 0.43, m.value("dtm_model_window_ci_lower", "model", "drivers", "term", "ln_gdp",
                "window_end", "2023", "type", "clustered"));
        assertEquals(-0.4 + 0.2, m.value("dtm_model_window_ci_upper", "model", "drivers", "term", "infra",
                "window_end", "2023", "type", "classical"));
        assertEquals(4, series("dtm_model_window_coefficient"), "2 terms × 2 years");
        assertEquals(8, series("dtm_model_window_ci_lower"), "2 terms × 2 years × 2 types");

        windows.window("drivers", window(2023, term("ln_gdp", 1.1), term("infra", -0.4)));
        assertEquals(1.1, scrape().value("dtm_model_window_coefficient", "model", "drivers", "term", "ln_gdp",
                "window_end", "2023"));
        assertEquals(4, series("dtm_model_window_coefficient"), "a new value, no new series");
    }

    @Test
    void shouldRemoveWhatIsNoLongerComputedAndTheWindowsThatGo() {
        windows.window("drivers", window(2021, term("ln_gdp", 0.8), term("infra", -0.5)));
        windows.window("drivers", window(2022, term("ln_gdp", 0.7), term("infra", -0.5)));
        windows.window("other", window(2022, term("ln_gdp", 0.1)));

        windows.window("drivers", window(2022, term("ln_gdp", 0.7)));
        assertTrue(scrape().series().keySet().stream()
                .noneMatch(k -> k.contains("term=\"infra\"") && k.contains("window_end=\"2022\"")),
                "a dropped term has no series");
        windows.window("drivers", notIdentified(2021));
        assertTrue(scrape().series().keySet().stream().noneMatch(k -> k.contains("window_end=\"2021\"")),
                "a window not identified has no series, not 0");
        assertEquals(2, series("dtm_model_window_coefficient"));

        windows.remove("drivers", 2022);
        assertEquals(1, series("dtm_model_window_coefficient"), "only the other model's window is left");
        gauges.clearModel("other");
        assertEquals(0, series("dtm_model_window_coefficient") + series("dtm_model_window_ci_lower")
                + series("dtm_model_window_ci_upper"));
    }
}
