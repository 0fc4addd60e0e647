package io.dtm.ingest;

import io.dtm.events.Observation;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * What ingest keeps per (series, period): the winning entry — an observation, or a retraction that withdraws it
 * ({@code retracted}; {@code winner} then holds the retraction's series, period, vintage, source and id) — and the
 * events seen for it ({@code source|id} → wall-clock milliseconds first seen), so that one store and one changelog
 * record per event serve both the de-duplication and the vintages.
 * <p>
 * The events seen are capped ({@code dtm.ingest.dedup-max-ids}, default 64): a cell that would remember more forgets
 * the one first seen earliest, so that no store or changelog record outgrows Kafka's record limit however many
 * events a (series, period) gets. De-duplication stays exact for the ids still remembered. An evicted id is no
 * longer known: a very late repeat of it is taken for a new event of the same (series, period), counted as accepted;
 * it carries the vintage of its first copy, which was resolved already, so it is stale and changes nothing.
 */
record VintageCell(Observation winner, boolean retracted, Map<String, Long> seen) {

    /** Oldest first: by time first seen, then by event key (so that eviction does not depend on map order). */
    private static final Comparator<Map.Entry<String, Long>> OLDEST_FIRST =
            Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey());

    VintageCell {
        seen = Map.copyOf(seen);
    }

    /** A cell whose winner is an observation. */
    VintageCell(Observation winner, Map<String, Long> seen) {
        this(winner, false, seen);
    }

    /** A cell whose winner is {@code entry}. */
    VintageCell(VintageEntry entry, Map<String, Long> seen) {
        this(entry.observation(), entry.retraction(), seen);
    }

    /** The winning entry. */
    VintageEntry entry() {
        return new VintageEntry(winner, retracted);
    }

    /** The observation that stands for this (series, period): {@code null} when it is withdrawn. */
    Observation observation() {
        return retracted ? null : winner;
    }

    /**
     * A cell that has seen {@code event} at {@code now} as well, with {@code winner} as its winner, remembering at
     * most {@code maxEvents} events (at least {@code event} itself): the others first seen earliest are forgotten.
     */
    VintageCell with(String event, long now, Observation winner, int maxEvents) {
        return with(event, now, VintageEntry.of(winner), maxEvents);
    }

    /** As {@link #with(String, long, Observation, int)}, with a winning entry that may be a retraction. */
    VintageCell with(String event, long now, VintageEntry winner, int maxEvents) {
        Map<String, Long> more = new HashMap<>(seen);
        more.remove(event);
        int keep = Math.max(0, maxEvents - 1);
        if (more.size() > keep) {
            more.entrySet().stream().sorted(OLDEST_FIRST).limit(more.size() - keep).map(Map.Entry::getKey).toList()
                    .forEach(more::remove);
        }
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
        return new VintageCell(winner, retracted, kept);
    }
}
