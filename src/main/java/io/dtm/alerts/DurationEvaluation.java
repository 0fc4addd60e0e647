package io.dtm.alerts;

/**
 * Steps a threshold rule on values that have no period (model outputs) on wall-clock time: the condition must
 * hold for {@code forMillis} before it fires (re-checked when time passes), and a firing alert resolves when the
 * clear condition no longer holds.
 */
public final class DurationEvaluation {

    private DurationEvaluation() {
    }

    /**
     * The state of one alert.
     *
     * @param since epoch milliseconds the current state began
     */
    public record State(AlertStatus status, long since, double value) {

        public static State inactive() {
            return new State(AlertStatus.INACTIVE, 0, Double.NaN);
        }
    }

    /** The state after a new value at {@code now}. */
    public static State onValue(State state, Condition condition, long forMillis, double value, long now) {
        AlertStatus status = state.status();
        if (status == AlertStatus.FIRING) {
            return condition.holds(value) ? new State(AlertStatus.FIRING, state.since(), value)
                    : new State(AlertStatus.RESOLVED, now, value);
        }
        if (!condition.active(value)) {
            return new State(AlertStatus.INACTIVE, now, value);
        }
        long since = status == AlertStatus.PENDING ? state.since() : now;
        return new State(now - since >= forMillis ? AlertStatus.FIRING : AlertStatus.PENDING, since, value);
    }

    /** The state when time passes without a new value: a pending alert fires once it has held long enough. */
    public static State onTime(State state, long forMillis, long now) {
        if (state.status() == AlertStatus.PENDING && now - state.since() >= forMillis) {
            return new State(AlertStatus.FIRING, state.since(), state.value());
        }
        return state;
    }
}
