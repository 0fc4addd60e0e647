package io.dtm.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of the {@code ingest} role: HTTP limits, de-duplication and publishing. */
@ConfigMapping(prefix = "dtm.ingest")
public interface IngestConfig {

    /** Largest HTTP request body accepted by {@code POST /api/v1/events}, in bytes; larger ones get 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** The most events one batch ({@code application/cloudevents-batch+json}) may hold; a larger one gets 413. */
    @WithDefault("10000")
    int maxBatchEvents();

    /** How long an event id is remembered for de-duplication; a repeat after that is resolved by its vintage. */
    @WithDefault("P30D")
    Duration dedupRetention();

    /**
     * How many event ids are remembered per (series, period), at least 1: beyond it the one first seen earliest is
     * forgotten, and a late repeat of it is taken for a new, stale event that changes nothing. Keeps every record
     * of the vintage store and its changelog small.
     */
    @WithDefault("64")
    int dedupMaxIds();

    /** How often remembered event ids older than the retention are purged (wall-clock). */
    @WithDefault("PT1H")
    Duration dedupPurgeInterval();

    /** How long publishing an HTTP request's events may block on an unavailable broker before answering 503. */
    @WithDefault("PT5S")
    Duration publishTimeout();

    /** The {@code Retry-After} (seconds) sent with 503 when Kafka is unavailable. */
    @WithDefault("5")
    int retryAfterSeconds();
}
