package io.dtm.alerts;

import io.dtm.events.IndicatorValue;
import io.dtm.events.ModelSnapshot;

/** What {@code alerts-match} reads, in process: a rule change, an indicator value or a model's estimate. */
sealed interface MatchInput {

    /** A new version of a rule, or its deletion. */
    record RuleChange(RuleVersion change) implements MatchInput {
    }

    /** An indicator value, or {@code null} when it was withdrawn. */
    record Indicator(IndicatorValue value) implements MatchInput {
    }

    /** A model's estimate as of a release, or {@code null} when the release no longer stands. */
    record ModelRelease(ModelSnapshot snapshot) implements MatchInput {
    }
}
