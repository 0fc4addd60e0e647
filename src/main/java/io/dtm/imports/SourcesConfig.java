package io.dtm.imports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Sources followed on a schedule: {@code dtm.sources.<name>.*}, each a publisher's query fetched on its interval and
 * imported through {@link ImportService} when its vintage changed. Set by the operator only (never by API users).
 */
@ConfigMapping(prefix = "dtm.sources")
public interface SourcesConfig {

    /** The sources, by name (the {@code source} label of their metrics). */
    @WithParentName
    Map<String, Source> sources();

    /** One source. */
    interface Source {

        /**
         * The query: a World Bank API v2 indicator query in JSON ({@code ...?format=json}; its pages are followed by
         * adding {@code page=N}) for a {@code wb-api-json} dataset, or an SDMX REST data query answering SDMX-CSV for
         * an {@code sdmx-csv} dataset.
         */
        URI url();

        /** The dataset of datasets.yaml the answer is imported as (its format tells how the answer is read). */
        String dataset();

        /** The interval between fetches, an ISO-8601 duration ({@code PT6H}); a cron expression is not accepted. */
        @WithDefault("PT6H")
        Duration schedule();

        /** The wait before the first fetch after start. */
        @WithDefault("PT30S")
        Duration initialDelay();

        /** The timeout of each HTTP request (connection and answer). */
        @WithDefault("PT1M")
        Duration timeout();

        /** How long a fetch waits for its import to end before it counts as failed (the import goes on). */
        @WithDefault("PT30M")
        Duration importTimeout();

        /** Retries of a failed fetch (network error, status other than 200/304) before waiting for the next run. */
        @WithDefault("3")
        int maxRetries();

        /** The wait before the first retry; it doubles at each retry. */
        @WithDefault("PT10S")
        Duration initialBackoff();

        /** The longest wait between two retries. */
        @WithDefault("PT5M")
        Duration maxBackoff();

        /**
         * How long the source may go without a good fetch before the alert {@code DtmSourceStale} fires (exported as
         * {@code dtm_source_stale_after_seconds{source}}, which the rule compares with).
         */
        @WithDefault("P2D")
        Duration staleAfter();
    }
}
