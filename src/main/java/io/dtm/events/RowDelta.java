package io.dtm.events;

import java.util.List;

/**
 * A change of one panel row of a model, from row assembly to estimation: remove {@code before} (if any), add
 * {@code after} (if any).
 */
public record RowDelta(String model, String entity, int year, PanelRow before, PanelRow after,
        ModelSnapshot.Trigger trigger) {

    /** A row of a model's panel: y and the terms' values, in the model's term order. */
    public record PanelRow(double y, List<Double> x) {
    }
}
