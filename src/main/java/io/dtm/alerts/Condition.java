package io.dtm.alerts;

import io.dtm.api.Problems;

/**
 * A threshold with a separate clear threshold (hysteresis): the condition becomes active when
 * {@code value op threshold} and, once firing, clears only when {@code value op clear} no longer holds. With
 * {@code <} 3 and clear 4, an alert fires below 3 and resolves at 4 or above; values between keep the state.
 */
public record Condition(Op op, double threshold, double clear) {

    /** Comparison operators. */
    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean test(double value, double bound) {
            return switch (this) {
                case LT -> value < bound;
                case LE -> value <= bound;
                case GT -> value > bound;
                case GE -> value >= bound;
            };
        }

        /** Parses {@code <}, {@code <=}, {@code >}, {@code >=}. */
        public static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("op must be one of <, <=, >, >=; was " + Problems.echo(symbol));
        }
    }

    public Condition {
        boolean below = op == Op.LT || op == Op.LE;
        if (below ? clear < threshold : clear > threshold) {
            throw new IllegalArgumentException("the clear threshold " + clear + " must be on the safe side of "
                    + op.symbol() + " " + threshold);
        }
    }

    /** A condition without hysteresis. */
    public static Condition of(Op op, double threshold) {
        return new Condition(op, threshold, threshold);
    }

    /** Whether {@code value} makes the condition active. */
    public boolean active(double value) {
        return op.test(value, threshold);
    }

    /** Whether a firing alert stays firing at {@code value}. */
    public boolean holds(double value) {
        return op.test(value, clear) || active(value);
    }
}
