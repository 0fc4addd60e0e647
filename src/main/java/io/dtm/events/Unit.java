package io.dtm.events;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The units an event may carry (DESIGN §3), and the one place their factors are written: monetary units are
 * normalised to {@link #USD} ({@code USD_MN} × 10⁶, {@code USD_BN} × 10⁹, {@code USD_100MN} × 10⁸).
 */
public enum Unit {
    USD(1),
    USD_MN(1e6),
    USD_BN(1e9),
    USD_100MN(1e8),
    PCT(0),
    INDEX(0),
    EFLOPS_FP16(0),
    COUNT(0),
    PER_100(0),
    PER_MN(0);

    private final double usdFactor;

    Unit(double usdFactor) {
        this.usdFactor = usdFactor;
    }

    /** The unit named {@code text} exactly; empty for any other text. */
    public static Optional<Unit> of(String text) {
        return Arrays.stream(values()).filter(u -> u.name().equals(text)).findFirst();
    }

    /** Whether it is an amount of money (normalised to USD). */
    public boolean monetary() {
        return usdFactor > 0;
    }

    /** The unit a value is stored in: USD for money, itself otherwise. */
    public Unit normalised() {
        return monetary() ? USD : this;
    }

    /** {@code value} in the {@link #normalised()} unit. */
    public double normalise(double value) {
        return monetary() ? value * usdFactor : value;
    }

    /** Every unit, comma-separated, for messages. */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
    }

    /** The monetary units as a sentence names them ({@code USD, USD_MN, USD_BN or USD_100MN}). */
    public static String monetaryUnits() {
        List<String> money = Arrays.stream(values()).filter(Unit::monetary).map(Enum::name).toList();
        return String.join(", ", money.subList(0, money.size() - 1)) + " or " + money.get(money.size() - 1);
    }
}
