package io.dtm.alerts;

/**
 * A rule as of one record of {@code dtm.alert-rules.v1}: the record's offset orders the versions of a rule (its id is
 * the record's key, so every version is on one partition).
 *
 * @param rule    the rule; for a deletion, the version it deleted where known (what a resolved alert is made of)
 * @param deleted whether this version deletes the rule (a tombstone)
 */
record RuleVersion(long version, AlertRule rule, boolean deleted) {

    /** Whichever of this and {@code other} (may be {@code null}) is the later version. */
    RuleVersion latest(RuleVersion other) {
        return other == null || version > other.version ? this : other;
    }
}
