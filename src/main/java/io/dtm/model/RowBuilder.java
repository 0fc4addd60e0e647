package io.dtm.model;

import io.dtm.events.Observation;
import io.dtm.events.Period;
import io.dtm.events.RowDelta.PanelRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Builds one panel row of a model for (entity, year) from the entity's inputs; pure. */
public final class RowBuilder {

    /** Observations by release: vintage, then source and id (as {@link Observation#supersedes}), nulls first. */
    static final Comparator<Observation> RELEASE_ORDER = Comparator
            .comparing(Observation::vintage, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(Observation::source, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(Observation::id, Comparator.nullsFirst(Comparator.<String>naturalOrder()));

    private RowBuilder() {
    }

    /** The inputs of one entity: by input index (0 = y) and period. */
    public interface Inputs {

        /** The observation of input {@code index} for {@code period}, or {@code null}. */
        Observation get(int index, String period);

        /** Every observation of input {@code index}, in period order. */
        List<Observation> all(int index);
    }

    /** A row, or why there is none ({@code missing} or {@code non-positive}). */
    public record Outcome(Optional<PanelRow> row, String skipped) {
    }

    public static Outcome row(ModelSpec spec, int year, Inputs inputs) {
        List<ModelSpec.Input> all = spec.inputs();
        double[] values = new double[all.size()];
        Observation latest = null;
        for (int i = 0; i < all.size(); i++) {
            ModelSpec.Input input = all.get(i);
            Observation read = switch (input.transform()) {
                case ONE_MINUS_AS_OF -> Observation.inForceAtYearEnd(inputs.all(i), year).orElse(null);
                // the value is 1 from the first release of an event that took effect by then
                case EFFECTIVE_SINCE -> inputs.all(i).stream().filter(o -> Period.year(o.period()) <= year)
                        .min(RELEASE_ORDER).orElse(null);
                default -> inputs.get(i, Integer.toString(year - input.lagYears()));
            };
            Double value = switch (input.transform()) {
                case ONE_MINUS_AS_OF -> read == null ? null : 1 - read.value();
                case EFFECTIVE_SINCE -> read == null ? 0.0 : 1.0;
                default -> read == null ? null : read.value();
            };
            if (read != null && read.vintage() != null && (latest == null || RELEASE_ORDER.compare(read, latest) > 0)) {
                latest = read;
            }
            if (value == null) {
                return new Outcome(Optional.empty(), "missing");
            }
            if (input.transform() == ModelSpec.Transform.LN) {
                if (!(value > 0)) {
                    return new Outcome(Optional.empty(), "non-positive");
                }
                value = Math.log(value);
            } else if (input.transform() == ModelSpec.Transform.LN1P) {
                if (!(value > -1)) {
                    return new Outcome(Optional.empty(), "non-positive");
                }
                value = Math.log1p(value);
            } else if (input.transform() == ModelSpec.Transform.PERCENT) {
                value = value / 100;
            }
            values[i] = value;
        }
        List<Double> x = new ArrayList<>(values.length - 1);
        for (int i = 1; i < values.length; i++) {
            x.add(values[i]);
        }
        return new Outcome(Optional.of(latest == null ? new PanelRow(values[0], x)
                : new PanelRow(values[0], x, latest.vintage(), latest.source(), latest.id())), null);
    }
}
