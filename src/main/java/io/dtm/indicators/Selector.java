package io.dtm.indicators;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dtm.events.Observation;
import java.util.Objects;

/** Which observations an indicator reads: each part that is set must match; an unset part matches anything. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Selector(String feed, String reporter, String partner, String flow, String category) {

    public boolean matches(Observation obs) {
        return obs.value() != null
                && (feed == null || feed.equals(obs.feed()))
                && (reporter == null || reporter.equals(obs.reporter()))
                && (partner == null || partner.equals(obs.partner()))
                && (flow == null || flow.equals(obs.flow()))
                && (category == null || category.equals(obs.category()));
    }

    /** Whether every part is set, so that it names one series. */
    public boolean namesOneSeries() {
        return feed != null && reporter != null && partner != null && flow != null && category != null;
    }

    /** This selector with the given category. */
    public Selector withCategory(String newCategory) {
        return new Selector(feed, reporter, partner, flow, newCategory);
    }

    /** A copy that also requires {@code flow} when this one leaves it open. */
    public Selector orFlow(String defaultFlow) {
        return flow != null ? this : new Selector(feed, reporter, partner, defaultFlow, category);
    }

    @Override
    public String toString() {
        return "{feed=" + Objects.toString(feed, "*") + ", reporter=" + Objects.toString(reporter, "*") + ", partner="
                + Objects.toString(partner, "*") + ", flow=" + Objects.toString(flow, "*") + ", category="
                + Objects.toString(category, "*") + "}";
    }
}
