package io.dtm.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the {@code model} role. */
@ConfigMapping(prefix = "dtm.model")
public interface ModelConfig {

    /** The model specifications: {@code classpath:<resource>} or a file path. */
    @WithDefault("classpath:models.yaml")
    String specs();

    /**
     * How many window end years each model keeps a rolling estimate for (the latest ones, 1 to 100), served at
     * {@code /api/v1/models/{model}/windows} and exported as {@code dtm_model_window_*}: one series per term, year
     * and statistic. The default is {@link WindowEstimates#DEFAULT_MAX_WINDOWS}, which topologies built without this
     * configuration (tests, benchmarks) keep.
     */
    @WithDefault("20")
    int maxWindows();
}
