package io.dtm.indicators;

import io.dtm.events.Observation;
import java.util.List;

/**
 * An observation on its way to a group (the repartition topic's value).
 *
 * @param periods the periods it affects, or {@code null} for every period of the group
 */
record GroupInput(String entry, String slot, List<String> periods, Observation observation) {
}
