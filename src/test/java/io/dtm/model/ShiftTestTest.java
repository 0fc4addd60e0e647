package io.dtm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** The driver-shift test against R plm on a fixed panel, and its edge cases. */
class ShiftTestTest {

    private static final double TOLERANCE = 1e-8;
    private static final RollingWindow WINDOW = new RollingWindow(2020, 2024);

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = ShiftTestTest.class.getResourceAsStream("/reference/" + resource)) {
            assertNotNull(in, resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
    }

    /** src/test/resources/reference/shift-panel.csv: entity, year, y, then one column per term. */
    private static List<Row> referencePanel() throws IOException {
        return lines("shift-panel.csv").stream().map(line -> line.split(",")).map(f -> new Row(f[0],
                Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                Arrays.stream(f, 3, f.length).mapToDouble(Double::parseDouble).toArray())).toList();
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void shouldEqualRPlmArellanoSssOnTheReferencePanel() throws IOException {
        Map<String, Double> reference = new HashMap<>();
        for (String line : lines("shift-reference.csv")) {
            String[] f = line.split(",");
            reference.put(f[0] + "|" + f[1], Double.parseDouble(f[2]));
        }
        List<String> terms = List.of("ln_gdp", "openness", "infra", "ln_ict_lag");
        ShiftResult result = ShiftTest.test(referencePanel(), WINDOW, terms);
        assertEquals(Status.OK, result.status(), result.reason());
        assertEquals(reference.get("observations|").intValue(), result.observations());
        assertEquals(reference.get("entities|").intValue(), result.entities());
        assertEquals(terms, result.terms().stream().map(ShiftResult.TermShift::term).toList());
        for (ShiftResult.TermShift t : result.terms()) {
            assertClose(reference.get("before|" + t.term()), t.before(), "before " + t.term());
            assertClose(reference.get("difference|" + t.term()), t.difference(), "difference " + t.term());
            assertClose(reference.get("before|" + t.term()) + reference.get("difference|" + t.term()), t.window(),
                    "window " + t.term());
            assertClose(reference.get("standard_error|" + t.term()), t.standardError(), "se " + t.term());
            assertClose(reference.get("t|" + t.term()), t.t(), "t " + t.term());
            assertClose(reference.get("p|" + t.term()), t.p(), "p " + t.term());
            assertEquals(result.entities() - 1, t.df());
        }
        ShiftResult.Joint joint = result.joint();
        assertNotNull(joint, result.reason());
        assertClose(reference.get("f|joint"), joint.f(), "F");
        assertEquals(reference.get("numerator_df|joint").intValue(), joint.numeratorDf());
        assertEquals(reference.get("denominator_df|joint").intValue(), joint.denominatorDf());
        assertClose(reference.get("p|joint"), joint.p(), "joint p");
        assertTrue(joint.bootstrapP() > 0 && joint.bootstrapP() < 1, () -> "bootstrap p " + joint.bootstrapP());
    }

    @Test
    void shouldGiveTheSameBootstrapPValueForTheSameData() throws IOException {
        List<String> terms = List.of("ln_gdp", "openness", "infra", "ln_ict_lag");
        ShiftResult first = ShiftTest.test(referencePanel(), WINDOW, terms);
        List<Row> reversed = new java.util.ArrayList<>(referencePanel());
        java.util.Collections.reverse(reversed);
        ShiftResult again = ShiftTest.test(reversed, WINDOW, terms);
        assertEquals(first.joint().bootstrapP(), again.joint().bootstrapP());
        assertEquals(first.terms().get(0).bootstrapP(), again.terms().get(0).bootstrapP());
    }

    @Test
    void shouldLeaveOutRowsAfterTheWindowAndSingleRowEntities() throws IOException {
        List<String> terms = List.of("ln_gdp", "openness", "infra", "ln_ict_lag");
        List<Row> rows = new java.util.ArrayList<>(referencePanel());
        ShiftResult plain = ShiftTest.test(rows, WINDOW, terms);
        rows.add(new Row("E00", 2025, 1e6, new double[] {1, 2, 3, 4}));
        rows.add(new Row("SOLO", 2021, -1e6, new double[] {5, 6, 7, 8}));
        ShiftResult padded = ShiftTest.test(rows, WINDOW, terms);
        assertEquals(plain.observations(), padded.observations());
        assertEquals(plain.entities(), padded.entities());
        assertEquals(plain.joint().f(), padded.joint().f(), 1e-9 * plain.joint().f());
    }

    @Test
    void shouldNotTestATermThatIsCollinearWithItsInteraction() {
        // rcep is 1 only inside the window: rcep · 1[window] equals rcep, so its difference is not identified
        List<Row> rows = Panels.generate(7, 15, 20, 20, 3000, new double[Panels.K]).stream()
                .filter(r -> r.year() <= 2023).map(r -> Panels.withTerm(r, 5, r.year() >= 2021 ? 1 : 0)).toList();
        ShiftResult result = ShiftTest.test(rows, new RollingWindow(2019, 2023), Panels.TERMS);
        assertEquals(Status.OK, result.status(), result.reason());
        assertEquals(List.of("rcep"), result.untested());
        assertEquals(5, result.terms().size());
        assertEquals(5, result.joint().numeratorDf());
    }

    @Test
    void shouldSayWhyWhenThereAreNoRowsBeforeTheWindow() throws IOException {
        List<Row> late = referencePanel().stream().filter(r -> r.year() >= 2020).toList();
        ShiftResult result = ShiftTest.test(late, WINDOW, List.of("a", "b", "c", "d"));
        assertEquals(Status.NOT_ENOUGH_DATA, result.status());
        assertTrue(result.reason().contains("before the window"), result.reason());
        assertTrue(result.terms().isEmpty());
        assertNull(result.joint());
    }

    @Test
    void shouldComputeTailProbabilitiesLikeCommonsMath() {
        for (double t : new double[] {0, 0.3, 1.7, 2.16, 4}) {
            double expected = 2 * new TDistribution(null, 13).cumulativeProbability(-t);
            assertEquals(expected, ClusteredWald.studentP(t, 13), 1e-12);
        }
        for (double f : new double[] {0.1, 1, 2.9, 6}) {
            double expected = 1 - new FDistribution(null, 6, 13).cumulativeProbability(f);
            assertEquals(expected, ClusteredWald.fisherP(f, 6, 13), 1e-12);
        }
    }
}
