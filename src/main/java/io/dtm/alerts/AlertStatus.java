package io.dtm.alerts;

/** The states of an alert per (rule, label set): inactive → pending → firing → resolved. */
public enum AlertStatus {
    INACTIVE, PENDING, FIRING, RESOLVED;

    /** Resolved is inactive for what follows. */
    public boolean firing() {
        return this == FIRING;
    }
}
