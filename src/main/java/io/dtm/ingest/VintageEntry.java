package io.dtm.ingest;

import io.dtm.events.Observation;
import java.util.Comparator;

/**
 * An accepted event on its way to the vintage step, and what a vintage cell keeps as its winner: an observation, or
 * a retraction ({@code dtm.retraction.v1}), whose {@code observation} then carries only the series, the period, the
 * vintage at which the observation is withdrawn and the retraction's {@code source} and {@code id}.
 */
record VintageEntry(Observation observation, boolean retraction) {

    /**
     * The order of the entries of one (series, period), greatest wins: the later vintage; at the same vintage a
     * retraction before an observation (a retraction withdraws the observation of its vintage); then the greater
     * ({@code source}, {@code id}). A total order over distinct events, so that the winner does not depend on the
     * order they arrive in.
     */
    static final Comparator<VintageEntry> ORDER = Comparator
            .<VintageEntry, String>comparing(e -> e.observation().vintage())
            .thenComparing(VintageEntry::retraction)
            .thenComparing(e -> e.observation().source())
            .thenComparing(e -> e.observation().id());

    static VintageEntry of(Observation observation) {
        return new VintageEntry(observation, false);
    }

    /** Whether this entry beats {@code other} ({@link #ORDER}). */
    boolean supersedes(VintageEntry other) {
        return ORDER.compare(this, other) > 0;
    }
}
