package io.dtm.events;

import java.util.List;

/**
 * A change of one panel row of a model, from row assembly to estimation: remove {@code before} (if any), add
 * {@code after} (if any).
 */
public record RowDelta(String model, String entity, int year, PanelRow before, PanelRow after,
        ModelSnapshot.Trigger trigger) {

    /**
     * A row of a model's panel: y and the terms' values, in the model's term order, and the release the row stands
     * at: the latest of the observations its values were read from (by vintage, then source and id, as
     * {@link Observation#supersedes} orders them).
     *
     * @param vintage the row's release: the latest vintage among its inputs; {@code null} when unknown
     * @param source  the source of the observation of that vintage
     * @param id      the id of that observation
     */
    public record PanelRow(double y, List<Double> x, String vintage, String source, String id) {

        /** A row whose release is unknown. */
        public PanelRow(double y, List<Double> x) {
            this(y, x, null, null, null);
        }
    }
}
