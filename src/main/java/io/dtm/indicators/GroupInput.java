package io.dtm.indicators;

import io.dtm.events.Observation;
import java.util.List;

/**
 * An observation on its way to a group (the repartition topic's value), or the withdrawal of the one in its slot.
 *
 * @param periods     the periods it affects, or {@code null} for every period of the group
 * @param observation the observation, or {@code null} when the slot's observation was withdrawn
 */
record GroupInput(String entry, String slot, List<String> periods, Observation observation) {

    /** The input of {@code entry} placed at {@code p}. */
    static GroupInput of(String entry, IndicatorKind.Placement p, Observation observation) {
        return new GroupInput(entry, p.slot(), p.periods() == null ? null : List.copyOf(p.periods()), observation);
    }
}
