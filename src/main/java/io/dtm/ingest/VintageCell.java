package io.dtm.ingest;

import io.dtm.events.Observation;
import java.util.HashMap;
import java.util.Map;

/**
 * What ingest keeps per (series, period): the winning observation and the events seen for it ({@code source|id}
 * → wall-clock milliseconds first seen), so that one store and one changelog record per event serve both the
 * de-duplication and the vintages.
 */
record VintageCell(Observation winner, Map<String, Long> seen) {

    VintageCell {
        seen = Map.copyOf(seen);
    }

    /** A cell that has seen {@code event} at {@code now} as well, with {@code winner} as its winner. */
    VintageCell with(String event, long now, Observation winner) {
        Map<String, Long> more = new HashMap<>(seen);
        more.put(event, now);
        return new VintageCell(winner, more);
    }

    /** This cell without the events first seen before {@code oldest}; itself when none is. */
    VintageCell forgetBefore(long oldest) {
        if (seen.values().stream().noneMatch(t -> t < oldest)) {
            return this;
        }
        Map<String, Long> kept = new HashMap<>(seen);
        kept.values().removeIf(t -> t < oldest);
        return new VintageCell(winner, kept);
    }
}
