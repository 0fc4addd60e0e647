package io.dtm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Relative comparisons of estimates with the reference. */
final class Close {

    static final double RELATIVE = 1e-8;

    private Close() {
    }

    static void assertRelative(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= RELATIVE * Math.abs(expected),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    /** β, both SEs, N, E and within R² of {@code estimate} against the reference, for the terms named. */
    static void assertMatches(DummyRegression.Result expected, Estimate estimate, List<String> terms) {
        assertEquals(Status.OK, estimate.status(), estimate.reason());
        assertEquals(expected.observations(), estimate.observations(), "N");
        assertEquals(expected.entities(), estimate.entities(), "E");
        assertEquals(terms, estimate.coefficients().stream().map(Coefficient::term).toList());
        for (int j = 0; j < terms.size(); j++) {
            Coefficient c = estimate.coefficients().get(j);
            assertRelative(expected.beta()[j], c.estimate(), "beta " + c.term());
            assertRelative(expected.classicalSe()[j], c.classical().standardError(), "classical SE " + c.term());
            assertRelative(expected.clusteredSe()[j], c.clustered().standardError(), "clustered SE " + c.term());
        }
        assertRelative(expected.rSquaredWithin(), estimate.rSquaredWithin(), "within R²");
    }
}
