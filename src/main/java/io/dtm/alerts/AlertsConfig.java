package io.dtm.alerts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Configuration of the {@code alerts} role. */
@ConfigMapping(prefix = "dtm.alerts")
public interface AlertsConfig {

    /** The alert rules: {@code classpath:<resource>} or a file path. */
    @WithDefault("classpath:alert-rules.yaml")
    String rules();

    /** Hosts or addresses notification targets may use although they are loopback or private. */
    Optional<List<String>> targetAllowList();
}
