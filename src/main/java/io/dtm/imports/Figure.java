package io.dtm.imports;

import java.math.BigDecimal;

/**
 * One figure as a publisher's file gives it, before any mapping: the publisher's code for what is measured, the
 * area, the period and the value in base units ({@code null} when the file marks it missing).
 *
 * @param line      the file line the figure's row starts on (1-based), 0 for a figure summed over many rows
 * @param structure the SDMX dataflow (STRUCTURE_ID or DATAFLOW) it belongs to, or {@code null}
 * @param status    the publisher's observation status (SDMX {@code OBS_STATUS}), or {@code null}
 * @param raw       the row as text, at most {@value Csv#MAX_RAW} characters
 */
public record Figure(long line, String structure, String code, String area, String period, BigDecimal value,
        String status, Action action, String raw) {

    /** What the publisher asks be done with the figure (SDMX {@code ACTION}; other formats always add). */
    public enum Action {
        /** Add the figure, or replace the one at the same key (SDMX I, A, M). */
        UPSERT,
        /** Replace the figure at the same key (SDMX R). */
        REPLACE,
        /** Withdraw the figure at the same key (SDMX D). */
        DELETE
    }

    /** A figure that adds or replaces. */
    static Figure of(long line, String code, String area, String period, BigDecimal value, String raw) {
        return new Figure(line, null, code, area, period, value, null, Action.UPSERT, raw);
    }
}
