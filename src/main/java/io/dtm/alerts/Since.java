package io.dtm.alerts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * When an alert's current run began: a period or release on the data's axis (threshold rules), or an instant on
 * the wall clock (when a missing release became due). {@link #text()} is how transitions carry it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({@JsonSubTypes.Type(Since.AtPeriod.class), @JsonSubTypes.Type(Since.AtInstant.class)})
sealed interface Since {

    /** As on {@code dtm.alerts.v1} and in transition ids: the period, or epoch milliseconds. */
    String text();

    /** The run began at a period ({@code YYYY}, {@code YYYY-Qn}, {@code YYYY-MM}) or release ({@code YYYY-MM-DD}). */
    record AtPeriod(String period) implements Since {
        @Override
        public String text() {
            return period;
        }
    }

    /** The run began at an instant (epoch milliseconds). */
    record AtInstant(long epochMilli) implements Since {
        @Override
        public String text() {
            return Long.toString(epochMilli);
        }

        boolean reached(Instant now) {
            return now.toEpochMilli() >= epochMilli;
        }
    }

    /** A period, or {@code null} for none. */
    static Since period(String period) {
        return period == null ? null : new AtPeriod(period);
    }

    /** The text of {@code since}, or {@code null}. */
    static String text(Since since) {
        return since == null ? null : since.text();
    }
}
