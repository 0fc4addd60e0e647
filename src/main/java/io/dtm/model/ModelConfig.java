package io.dtm.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the {@code model} role. */
@ConfigMapping(prefix = "dtm.model")
public interface ModelConfig {

    /** The model specifications: {@code classpath:<resource>} or a file path. */
    @WithDefault("classpath:models.yaml")
    String specs();
}
