package io.dtm.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the bundled demo data set. */
@ConfigMapping(prefix = "dtm.demo")
public interface DemoConfig {

    /** Whether to publish the demo data set through the ingest path at start (the local stack turns it on). */
    @WithDefault("false")
    boolean enabled();
}
