package io.dtm.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitTest {

    @ParameterizedTest
    @CsvSource({"USD, 2.5, 2.5", "USD_MN, 2.5, 2500000", "USD_BN, 2.5, 2500000000", "USD_100MN, 2.5, 250000000"})
    void shouldNormaliseMoneyToUsd(String unit, double value, double usd) {
        Unit u = Unit.of(unit).orElseThrow();
        assertTrue(u.monetary());
        assertEquals(Unit.USD, u.normalised());
        assertEquals(usd, u.normalise(value), 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"PCT", "INDEX", "EFLOPS_FP16", "COUNT", "PER_100", "PER_MN"})
    void shouldKeepOtherUnitsAsTheyAre(String unit) {
        Unit u = Unit.of(unit).orElseThrow();
        assertFalse(u.monetary());
        assertEquals(u, u.normalised());
        assertEquals(42.5, u.normalise(42.5));
    }

    @Test
    void shouldKnowOnlyTheExactNames() {
        assertEquals(Optional.empty(), Unit.of("usd_mn"));
        assertEquals(Optional.empty(), Unit.of(null));
        assertEquals("USD, USD_MN, USD_BN, USD_100MN, PCT, INDEX, EFLOPS_FP16, COUNT, PER_100, PER_MN", Unit.known());
        assertEquals("USD, USD_MN, USD_BN or USD_100MN", Unit.monetaryUnits());
    }
}
