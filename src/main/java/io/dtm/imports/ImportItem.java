package io.dtm.imports;

import io.dtm.events.Feed;
import java.time.LocalDate;

/** What an import hands on for one figure: an event to publish, or the retraction of one. */
public sealed interface ImportItem {

    /** The deterministic event id: the same (dataset, series, period, vintage) gives the same id on every import. */
    String id();

    /**
     * A CloudEvent in structured mode, exactly as {@code POST /api/v1/events} takes it.
     *
     * @param key    the record key by series ({@code feed|reporter|partner|flow|category}), as the HTTP ingest keys
     * @param status the publisher's observation status (also carried as the {@code obsstatus} extension), or null
     * @param json   the event as UTF-8 JSON
     */
    record Event(String id, Feed feed, String key, String period, String status, byte[] json) implements ImportItem {
    }

    /**
     * The withdrawal of the observation of a series and period at a vintage (an SDMX {@code D} row).
     *
     * @param key the series, as {@link Event#key()}
     */
    record Retraction(String id, String source, Feed feed, String key, String period, LocalDate vintage)
            implements ImportItem {
    }
}
