package io.dtm.imports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Configuration of the imports of publications ({@code POST /api/v1/imports}, run by the ingest role). */
@ConfigMapping(prefix = "dtm.imports")
public interface ImportsConfig {

    /** The dataset mappings ({@code classpath:<resource>} or a file path of your own). */
    @WithDefault("classpath:datasets.yaml")
    String datasets();

    /** Largest file accepted, in bytes; a larger body gets 413 (it is written to disk, never held in memory). */
    @WithDefault("536870912")
    long maxFileBytes();

    /** Where uploaded files wait for their import (deleted once imported); the system's temporary folder if unset. */
    Optional<Path> spoolDir();

    /** Events sent to the ingest path per batch. */
    @WithDefault("500")
    int batchEvents();

    /** An import stops, failed, once more than this share of the rows read were rejected (after 100 rows). */
    @WithDefault("0.1")
    double maxRejectShare();

    /** How many finished imports {@code GET /api/v1/imports} remembers (this instance's, newest first). */
    @WithDefault("100")
    int history();
}
