package io.dtm.ingest;

import java.util.Arrays;
import java.util.Optional;

/** The units an event may carry (DESIGN §3); monetary units are normalised to {@link #USD}. */
enum Unit {
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

    static Optional<Unit> of(String text) {
        return Arrays.stream(values()).filter(u -> u.name().equals(text)).findFirst();
    }

    boolean monetary() {
        return usdFactor > 0;
    }

    /** The unit a value is stored in: USD for money, itself otherwise. */
    Unit normalised() {
        return monetary() ? USD : this;
    }

    /** {@code value} in the {@link #normalised()} unit. */
    double normalise(double value) {
        return monetary() ? value * usdFactor : value;
    }

    static String known() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
    }
}
