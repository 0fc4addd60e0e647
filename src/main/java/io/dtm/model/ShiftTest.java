package io.dtm.model;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The driver-shift test: is each slope over the rolling window equal to the slope over the years before it? The
 * rows up to the window's last year are fitted by the within model with every slope interacted with a "year in the
 * window" dummy (entity fixed effects common to both parts), and each interaction — the window's slope minus the
 * earlier one — is tested with entity-clustered covariance (plm's arellano, "sss": an entity's rows before and in
 * the window are one cluster), t on G − 1 per term and F on (q, G − 1) jointly; see {@link ClusteredWald}. Rows
 * after the window (years with a row for fewer than half of the entities) are left out.
 */
public final class ShiftTest {

    private ShiftTest() {
    }

    /** The test of {@code rows} for {@code window}, with {@code termNames} naming the regressors in order. */
    public static ShiftResult test(List<Row> rows, RollingWindow window, List<String> termNames) {
        List<Row> sample = rows.stream().filter(r -> r.year() <= window.last()).toList();
        Integer firstYear = sample.stream().mapToInt(Row::year).min().stream().boxed().findFirst().orElse(null);
        if (firstYear == null || firstYear >= window.first()) {
            return ShiftResult.failed(Status.NOT_ENOUGH_DATA, "no rows before the window " + window.first() + "–"
                    + window.last(), firstYear, window, 0, 0);
        }
        if (sample.stream().noneMatch(r -> window.contains(r.year()))) {
            return ShiftResult.failed(Status.NOT_ENOUGH_DATA, "no rows in the window " + window.first() + "–"
                    + window.last(), firstYear, window, 0, 0);
        }
        if (termNames.size() != sample.get(0).k()) {
            throw new IllegalArgumentException(termNames.size() + " term names for " + sample.get(0).k()
                    + " regressors");
        }
        int[] every = IntStream.range(0, termNames.size()).toArray();
        ClusteredWald.Result wald = ClusteredWald.test(sample, window::contains, every);
        if (wald.status() != Status.OK) {
            return ShiftResult.failed(wald.status(), wald.reason(), firstYear, window, wald.observations(),
                    wald.entities());
        }
        List<ShiftResult.TermShift> terms = wald.terms().stream().map(t -> new ShiftResult.TermShift(
                termNames.get(t.index()), t.first(), t.first() + t.difference(), t.difference(), t.standardError(),
                t.t(), t.p(), t.bootstrapP(), t.df())).toList();
        List<String> untested = wald.untested().stream().sorted().map(termNames::get).toList();
        ShiftResult.Joint joint = wald.joint().map(j -> new ShiftResult.Joint(j.f(), j.numeratorDf(),
                j.denominatorDf(), j.p(), j.bootstrapP())).orElse(null);
        return new ShiftResult(Status.OK, wald.reason(), firstYear, window, wald.observations(), wald.entities(),
                terms, untested, joint);
    }
}
