package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import java.util.List;
import java.util.Set;

/**
 * One kind of indicator (DESIGN §4). An observation the entry reads is placed in a <em>group</em> (the inputs
 * that are computed together, on one partition) under a <em>slot</em>; the kind then computes the group's
 * values for the periods the new input affects, from whatever inputs the group holds, so that the result does
 * not depend on arrival order. Every value of one output series comes from one group.
 */
public interface IndicatorKind {

    /** Where an observation goes; empty when the entry does not read it. */
    List<Placement> place(Observation obs);

    /**
     * Where an observation of the series and period of {@code withdrawn} may have gone, so that its withdrawal (a
     * tombstone on {@code dtm.observations.v1}) empties those slots: {@code withdrawn} carries the series and the
     * period (and a placeholder value), nothing else of the observation that was withdrawn. A slot is named by the
     * series and period of its input, so a slot that did not hold it holds nothing of another series either.
     */
    default List<Placement> placeWithdrawn(Observation withdrawn) {
        return place(withdrawn);
    }

    /**
     * Whether the entry reads one series over time, each group being one input series: then it is computed where
     * the observations are partitioned by series, from the periods stored there, without a repartition by group.
     */
    default boolean bySeries() {
        return false;
    }

    /**
     * For an entry {@link #bySeries() by series}: the input series ({@code feed|reporter|partner|flow|category}) of
     * the output series with these labels, which says where its values live.
     */
    default String inputSeries(String reporter, String partner, String flow, String category) {
        throw new UnsupportedOperationException("not an indicator over one series");
    }

    /**
     * Whether each group computes one output series, whose key ({@code IndicatorValue.seriesKey()}) is the group
     * key itself: then a group's stored value for a period is found by key rather than by a scan.
     */
    default boolean groupIsItsSeries() {
        return false;
    }

    /**
     * Whether every value of the periods a placement names is computed from the placed input (none exists without
     * it): a new input then affects no value stored before, and the engine does not read them.
     */
    default boolean valuesReadTheirInput() {
        return false;
    }

    /** The group that computes the output series with these labels (the reverse of the placement). */
    String groupOf(String reporter, String partner, String flow, String category);

    /** The periods of a group's values, read from its inputs (used when a placement affects every period). */
    default Set<String> periods(Inputs inputs) {
        throw new UnsupportedOperationException("this kind names the periods it affects");
    }

    /** The group's values for one period: none when its inputs are incomplete. */
    List<IndicatorValue> compute(String group, String period, Inputs inputs);

    /**
     * An input's place.
     *
     * @param group   the group key (starts with the entry id)
     * @param slot    the input's key within the group
     * @param periods the periods whose values depend on it, or {@code null} for every period of the group
     */
    record Placement(String group, String slot, Set<String> periods) {
    }

    /** The inputs of one group, read from the state store. */
    interface Inputs {

        /** The input in {@code slot}, or {@code null}. */
        Observation get(String slot);

        /** The inputs whose slot starts with {@code prefix}, in slot order. */
        List<Observation> scan(String prefix);
    }
}
