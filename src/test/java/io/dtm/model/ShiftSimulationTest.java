package io.dtm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Power and size of the driver-shift test on seeded panels shaped like the drivers model: 14 entities × 14 years
 * (2013–2026), six terms (five trending levels such as ln GDP ≈ 25 and a 0/1 RCEP step from a year drawn per
 * entity), entity effects, and iid errors with standard deviation 0.3 — larger than the year-to-year noise of ln
 * exports around a fixed-effects fit (about 0.1–0.2), so the power shown is not bought with an unrealistically
 * quiet panel (at 1.0 the joint test still rejects 93 of 100). The change: the ln GDP slope rises by 0.10 from
 * 2022, the first year of the default 5-year window 2022–2026. With a change in the middle of the window (window
 * 2020–2024, change from 2022) the window's single slope mixes both regimes and the joint power falls to about 63 of
 * 100: the test sees a shift once the window has moved past it.
 *
 * <p>The p-value acted on is the wild cluster bootstrap one: on these panels the analytic F(q, G − 1) on the CR1
 * covariance rejects about half of the panels without any change (q = 6 differences on 14 clusters whose 12
 * coefficients leave little of each entity's score), which this test shows too.
 */
class ShiftSimulationTest {

    private static final int FIRST_YEAR = 2013;
    private static final int YEARS = 14;
    private static final int ENTITIES = 14;
    private static final int CHANGE_FROM = 2022;
    private static final RollingWindow WINDOW = new RollingWindow(2022, 2026);
    private static final double ERROR_SD = 0.3;
    private static final double[] BETA = {0.9, 1.5, 2.0, 0.3, 0.1, 0.2};
    private static final double[] LEVEL = {25, 0.6, 0.5, 20, 3};
    private static final double[] LEVEL_SPREAD = {2, 0.1, 0.2, 2, 1};
    private static final double[] TREND = {0.03, 0.005, 0.02, 0.05, 0.2};
    private static final double[] NOISE = {0.05, 0.03, 0.03, 0.1, 0.3};
    private static final int PANELS = 100;

    /** One panel; from {@link #CHANGE_FROM} the slope of term 0 (ln GDP) is β + {@code change}. */
    static List<Row> panel(long seed, double change) {
        Random rnd = new Random(seed);
        int k = BETA.length;
        List<Row> rows = new ArrayList<>();
        for (int e = 0; e < ENTITIES; e++) {
            double alpha = 3 * rnd.nextGaussian();
            double[] level = new double[k - 1];
            double[] trend = new double[k - 1];
            for (int j = 0; j < k - 1; j++) {
                level[j] = LEVEL[j] + LEVEL_SPREAD[j] * rnd.nextGaussian();
                trend[j] = TREND[j] * (1 + 0.5 * rnd.nextGaussian());
            }
            int rcepYear = 2018 + rnd.nextInt(8);
            for (int t = FIRST_YEAR; t < FIRST_YEAR + YEARS; t++) {
                double[] x = new double[k];
                for (int j = 0; j < k - 1; j++) {
                    x[j] = level[j] + trend[j] * (t - FIRST_YEAR) + NOISE[j] * rnd.nextGaussian();
                }
                x[k - 1] = t >= rcepYear ? 1 : 0;
                double y = alpha + ERROR_SD * rnd.nextGaussian();
                for (int j = 0; j < k; j++) {
                    y += (BETA[j] + (j == 0 && t >= CHANGE_FROM ? change : 0)) * x[j];
                }
                rows.add(new Row(String.format("E%02d", e), t, y, x));
            }
        }
        return rows;
    }

    @Test
    void shouldSeeAChangeOfOneSlopeInMostPanelsAndRarelyRejectWithoutOne() {
        int rejectedWithChange = 0;
        int rejectedWithout = 0;
        int analyticWithout = 0;
        for (int i = 0; i < PANELS; i++) {
            ShiftResult changed = ShiftTest.test(panel(5000 + i, 0.10), WINDOW, Panels.TERMS);
            ShiftResult stable = ShiftTest.test(panel(5000 + i, 0), WINDOW, Panels.TERMS);
            assertEquals(Status.OK, changed.status(), changed.reason());
            assertEquals(Status.OK, stable.status(), stable.reason());
            assertEquals(ENTITIES, stable.entities());
            assertEquals(ENTITIES * YEARS, stable.observations());
            if (changed.joint().bootstrapP() < 0.05) {
                rejectedWithChange++;
            }
            if (stable.joint().bootstrapP() < 0.05) {
                rejectedWithout++;
            }
            if (stable.joint().p() < 0.05) {
                analyticWithout++;
            }
        }
        System.out.printf("driver-shift test at 5 %%: %d of %d panels with a +0.10 change, %d of %d without "
                + "(analytic F(q, G − 1): %d)%n", rejectedWithChange, PANELS, rejectedWithout, PANELS, analyticWithout);
        int change = rejectedWithChange;
        int without = rejectedWithout;
        int analytic = analyticWithout;
        assertTrue(change >= 80, () -> "rejected " + change + " of " + PANELS + " panels with a change");
        assertTrue(without <= 10, () -> "rejected " + without + " of " + PANELS + " panels without a change");
        assertTrue(analytic > 20, () -> "the analytic F rejected only " + analytic + " panels without a change");
    }
}
