package io.dtm.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One validated observation of a series for a period, as carried on {@code dtm.observations.v1}: the
 * value normalised to its base unit, with the vintage and the event ({@code source}, {@code id}) it came from.
 *
 * @param value       the value in {@code unit}; {@code null} for policy events without an index value
 * @param reportedGrowthPct growth the publisher printed beside the value (trade only), or {@code null}
 * @param direction   policy events: LIBERALISING, RESTRICTIVE or NEUTRAL; otherwise {@code null}
 * @param description policy events: free text; otherwise {@code null}
 * @param hubGroup    compute events: the hub group a region belongs to, or {@code null}
 * @param synthetic   true for generated (demo) series
 */
public record Observation(
        String feed,
        String reporter,
        String partner,
        String flow,
        String category,
        String period,
        Double value,
        String unit,
        String vintage,
        String source,
        String id,
        Double reportedGrowthPct,
        String direction,
        String description,
        String hubGroup,
        boolean synthetic) {

    /** The series this observation belongs to. */
    @JsonIgnore
    public SeriesKey series() {
        return new SeriesKey(feed, reporter, partner, flow, category);
    }

    /** Whether this observation beats {@code other} for the same (series, period): later vintage, then greater (source, id). */
    public boolean supersedes(Observation other) {
        int byVintage = vintage.compareTo(other.vintage);
        if (byVintage != 0) {
            return byVintage > 0;
        }
        int bySource = source.compareTo(other.source);
        return bySource != 0 ? bySource > 0 : id.compareTo(other.id) > 0;
    }

    /**
     * An observation that carries only the series and period of {@code key} ({@code series|period}, as
     * {@code dtm.observations.v1} keys its records, a tombstone included) and {@code value}; empty when the key is
     * not of that form.
     */
    public static Optional<Observation> ofKey(String key, Double value) {
        int cut = key == null ? -1 : key.lastIndexOf('|');
        if (cut < 0) {
            return Optional.empty();
        }
        SeriesKey series;
        try {
            series = SeriesKey.parse(key.substring(0, cut));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Observation(series.feed(), series.reporter(), series.partner(), series.flow(),
                series.category(), key.substring(cut + 1), value, null, null, null, null, null, null, null, null,
                false));
    }

    /**
     * The value in force at the end of {@code year}: of {@code byEffectiveDate} (events in the order of the dates
     * they take effect, their {@code period}), the last with a value that took effect on or before 31 December of
     * that year; empty when none did.
     */
    public static Optional<Observation> inForceAtYearEnd(List<Observation> byEffectiveDate, int year) {
        String yearEnd = String.format(Locale.ROOT, "%04d-12-31", year);
        Observation inForce = null;
        for (Observation o : byEffectiveDate) {
            if (o.value() != null && o.period().compareTo(yearEnd) <= 0) {
                inForce = o;
            }
        }
        return Optional.ofNullable(inForce);
    }
}
