package io.dtm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormulasTest {

    private static final double TOLERANCE = 1e-9;

    private static double growth(double current, double previous) {
        OptionalDouble result = Formulas.yoyGrowthPct(current, previous);
        assertTrue(result.isPresent(), () -> "expected a growth for " + previous + " -> " + current);
        return result.getAsDouble();
    }

    private static double oneDecimal(double value) {
        return Math.round(value * 10) / 10.0;
    }

    @ParameterizedTest
    @CsvSource({
            "110,   100,  10",
            "50,    200, -75",
            "100,   100,   0",
            "0,     100, -100",
            "300,   100, 200",
            "1.5,   1.2,  25",
            "4.9155E12, 4.6329E12, 6.09985106520754"
    })
    void shouldComputeYearOnYearGrowthInPercent(double current, double previous, double expectedPct) {
        assertEquals(expectedPct, growth(current, previous), TOLERANCE);
    }

    @Test
    void shouldReproduceDigitallyDeliverableServicesGrowthOfTable1() {
        // 2024: 46329, 2025: 49155 (USD 100 mn); 2826 / 46329 = 0.0609985...
        double pct = growth(49155, 46329);

        assertEquals(6.09985106520754, pct, TOLERANCE);
        assertEquals(6.1, oneDecimal(pct));
    }

    @Test
    void shouldShowThatTable1GoodsGrowthDisagreesWithItsAmounts() {
        // 2023: 237835, 2024: 285170 (USD 100 mn); 47335 / 237835 = 0.199024...
        double pct = growth(285170, 237835);

        assertEquals(19.902453381546028, pct, TOLERANCE);
        assertEquals(19.9, oneDecimal(pct));
        assertNotEquals(2.1, oneDecimal(pct));
    }

    @Test
    void shouldGiveTheSameGrowthWhateverTheCommonUnit() {
        assertEquals(growth(49155, 46329), growth(49155 * 1e8, 46329 * 1e8), TOLERANCE);
    }

    @ParameterizedTest
    @CsvSource({
            "100, 0",
            "100, -0.0",
            "100, -50",
            "0,   0",
            "100, NaN",
            "100, Infinity",
            "100, -Infinity",
            "NaN, 100",
            "Infinity, 100",
            "-Infinity, 100"
    })
    void shouldGiveNoGrowthWhenPreviousIsNotPositiveOrAValueIsNotFinite(double current, double previous) {
        assertEquals(OptionalDouble.empty(), Formulas.yoyGrowthPct(current, previous));
    }

    @Test
    void shouldGiveGrowthForTheSmallestPositivePrevious() {
        assertTrue(Formulas.yoyGrowthPct(0, Double.MIN_VALUE).isPresent());
        assertEquals(-100, growth(0, Double.MIN_VALUE), TOLERANCE);
    }
}
