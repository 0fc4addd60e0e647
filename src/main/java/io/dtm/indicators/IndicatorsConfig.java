package io.dtm.indicators;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the {@code indicators} role. */
@ConfigMapping(prefix = "dtm.indicators")
public interface IndicatorsConfig {

    /** The indicator catalogue: {@code classpath:<resource>} or a file path. */
    @WithDefault("classpath:indicators.yaml")
    String catalogue();

    /** How many of the latest periods each series exports as {@code dtm_indicator_period_value}. */
    @WithDefault("30")
    int historyPeriods();

    /** The most indicator series this instance exports; the rest count in {@code dtm_indicator_series_dropped_total}. */
    @WithDefault("10000")
    int maxSeries();
}
